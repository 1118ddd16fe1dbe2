package dev.gatehouse.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.gatehouse.policy.Policy;
import dev.gatehouse.proxy.HeaderEdits;
import dev.gatehouse.proxy.Route;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpField;

/**
 * Writes a stored response to a client: the stored header fields under the same header policy as
 * a proxied response (removed headers, security headers, the route's edits), a correct
 * {@code Age}, the cache status headers, and the body. A small body is written at once; a larger
 * one asynchronously, so a slow client does not hold a thread.
 */
final class CachedResponseWriter
{
    /** Bodies up to this size are written with one blocking write (it fits the output buffer). */
    static final int DIRECT_WRITE_MAX = 32 * 1024;

    private CachedResponseWriter()
    {
    }

    /**
     * @param notModified answer 304 (the client's precondition matched)
     * @param validated   the response was just validated (qualified no-cache fields may be sent)
     */
    static void write(HttpServletRequest request, HttpServletResponse response, StoredResponse stored, long now,
                      Policy policy, Route route, boolean notModified, boolean validated, String xCacheStatus, String cacheStatus)
        throws IOException
    {
        response.setStatus(notModified ? 304 : stored.status);
        List<String> noCacheFields = validated ? List.of() : stored.cc.fieldNames("no-cache");
        Set<String> seen = new HashSet<>();
        Set<String> removed = policy.removedResponseHeaders();
        boolean override = policy.config().headersOverride();
        for (HttpField f : stored.headers)
        {
            String name = f.getName();
            String lower = f.getLowerCaseName();
            if (lower.equals("age") || noCacheFields.contains(lower) || removed.contains(name))
                continue;
            if (notModified && (lower.startsWith("content-") && !lower.equals("content-location")))
                continue;
            if (Policy.isSecurityHeader(name) && override)
                continue;
            if (seen.add(lower))
                response.setHeader(name, f.getValue());
            else
                response.addHeader(name, f.getValue());
        }
        response.setHeader("Age", Long.toString(stored.ageSeconds(now)));
        CacheExchange.statusHeaders(request, response, xCacheStatus, cacheStatus);
        if (route != null)
            HeaderEdits.applyToResponse(route.config().policy(), response);
        if (notModified)
            return;
        byte[] body = stored.body;
        response.setContentLengthLong(body.length);
        if ("HEAD".equals(request.getMethod()) || body.length == 0)
            return;
        if (body.length <= DIRECT_WRITE_MAX || !request.isAsyncSupported())
        {
            response.getOutputStream().write(body);
            return;
        }
        AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = response.getOutputStream();
        ByteBuffer left = ByteBuffer.wrap(body);
        out.setWriteListener(new WriteListener()
        {
            @Override
            public void onWritePossible() throws IOException
            {
                while (out.isReady())
                {
                    if (!left.hasRemaining())
                    {
                        async.complete();
                        return;
                    }
                    int n = Math.min(left.remaining(), 64 * 1024);
                    out.write(body, left.position(), n);
                    left.position(left.position() + n);
                }
            }

            @Override
            public void onError(Throwable failure)
            {
                async.complete();
            }
        });
    }
}
