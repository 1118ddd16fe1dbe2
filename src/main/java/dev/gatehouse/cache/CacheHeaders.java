package dev.gatehouse.cache;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.gatehouse.http.OwnHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Small header helpers of the cache. */
final class CacheHeaders
{
    private CacheHeaders()
    {
    }

    /** Every value of a request header, in order (empty when absent). */
    static List<String> values(HttpServletRequest request, String name)
    {
        Enumeration<String> e = request.getHeaders(name);
        return e == null || !e.hasMoreElements() ? List.of() : Collections.list(e);
    }

    /** Sets {@code X-Cache-Status} and our {@code Cache-Status} member, kept on error responses too. */
    static void status(HttpServletRequest request, HttpServletResponse response, String xCacheStatus, String cacheStatus)
    {
        OwnHeaders.set(request, response, CacheExchange.X_CACHE_STATUS, xCacheStatus);
        OwnHeaders.set(request, response, CacheExchange.CACHE_STATUS, cacheStatus);
    }
}
