package dev.gatehouse.cache;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.gatehouse.http.HopByHop;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The cache's state for one request on its way upstream (a request attribute), and the hooks the
 * proxy servlet calls through {@link CacheParticipant}: add validators, decide at the response
 * headers whether to store, freshen or serve stale, capture the body, and finish.
 */
public final class CacheExchange
{
    public static final String X_CACHE_STATUS = "X-Cache-Status";
    public static final String CACHE_STATUS = "Cache-Status";
    /** The cache's name in {@code Cache-Status} (RFC 9211). */
    static final String NAME = "gatehouse";
    static final String ATTRIBUTE = "dev.gatehouse.cache.exchange";
    /** Methods known to be safe; every other one (POST, PUT, DELETE, PATCH, unknown ones) invalidates. */
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    enum Mode
    {
        /** Going upstream (or already there). */
        PASS,
        /** A collapsed follower woken up: look the key up again. */
        LOOKUP,
        /** Serve {@link #toServe} on the next (async) dispatch. */
        SERVE
    }

    final ResponseCache cache;
    final CacheTarget target;
    final String key;
    final CacheControl requestCc;
    final long maxObjectSize;
    /** May the response be stored (GET, no request no-store, no Range)? */
    final boolean storable;
    final boolean unsafe;
    volatile Mode mode = Mode.PASS;
    /** The stored response being validated (a conditional request goes upstream), or null. */
    StoredResponse candidate;
    boolean staleIfError;
    boolean addedValidators;
    boolean followed;
    Flight flight;
    long requestTime;
    String fwd = "uri-miss";
    String xCacheStatus = "MISS";
    StoredResponse toServe;
    String serveStatus;
    // what is known once the response headers arrive, for storing
    boolean capture;
    boolean captured;
    int status;
    HttpFields responseHeaders;
    long responseTime;
    Map<String, String> vary;
    Set<String> connectionListed;

    CacheExchange(ResponseCache cache, CacheTarget target, String key, CacheControl requestCc, long maxObjectSize,
                  boolean storable, String method)
    {
        this.cache = cache;
        this.target = target;
        this.key = key;
        this.requestCc = requestCc;
        this.maxObjectSize = maxObjectSize;
        this.storable = storable;
        this.unsafe = !SAFE.contains(method);
    }

    static CacheExchange of(HttpServletRequest request)
    {
        Object o = request.getAttribute(ATTRIBUTE);
        return o instanceof CacheExchange cx ? cx : null;
    }

    /** Hook: the upstream request gets the stored response's validators (unless the client sent its own). */
    static void addValidators(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        CacheExchange cx = of(clientToProxyRequest);
        if (cx == null || cx.candidate == null)
            return;
        if (clientToProxyRequest.getHeader("If-None-Match") != null || clientToProxyRequest.getHeader("If-Modified-Since") != null)
            return;
        String etag = cx.candidate.headers.get("ETag");
        String lastModified = cx.candidate.headers.get("Last-Modified");
        if (etag == null && lastModified == null)
            return;
        proxyToServerRequest.headers(h ->
        {
            if (etag != null)
                h.put(HttpHeader.IF_NONE_MATCH, etag);
            if (lastModified != null)
                h.put(HttpHeader.IF_MODIFIED_SINCE, lastModified);
        });
        cx.addedValidators = true;
    }

    /**
     * Hook, first thing at the upstream response headers. Returns true when the cache takes the
     * response over (the servlet then returns at once): a 304 to validators the cache added (the
     * client gets the freshened stored response), or a 5xx while a stale response may be served
     * on error (the upstream response is aborted and the stale one served instead).
     */
    static boolean onResponseHeaders(HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        CacheExchange cx = of(clientToProxyRequest);
        if (cx == null)
            return false;
        return cx.headers(clientToProxyRequest, serverToProxyResponse);
    }

    private boolean headers(HttpServletRequest request, Response upstream)
    {
        int code = upstream.getStatus();
        HttpFields fields = upstream.getHeaders();
        long now = cache.now();
        if (unsafe)
        {
            if (code >= 200 && code < 400)
                target.invalidate(cache, key, fields);
            return false;
        }
        if (code == 304 && candidate != null)
        {
            if (Conditional.selects(fields, candidate.headers))
            {
                StoredResponse fresh = candidate.freshen(fields, requestTime, now);
                cache.replace(candidate, fresh);
                cache.revalidated.inc();
                land();
                fwd = "stale";
                xCacheStatus = "REVALIDATED";
                if (addedValidators)
                {
                    toServe = fresh;
                    serveStatus = "REVALIDATED";
                    mode = Mode.SERVE;
                    return true;
                }
            }
            return false;
        }
        if (code >= 500 && candidate != null && staleIfError)
        {
            toServe = candidate;
            serveStatus = "STALE";
            mode = Mode.SERVE;
            upstream.abort(new StaleIfError());
            return true;
        }
        if (candidate != null)
            xCacheStatus = "EXPIRED";
        cache.misses.inc();
        if (!storable)
            return false;
        CacheControl cc = CacheControl.parse(fields.getValuesList("Cache-Control"));
        String refusal = Storability.refusal(request.getMethod(), requestCc, request.getHeader("Authorization") != null,
            false, code, fields, cc);
        long length = fields.getLongField(HttpHeader.CONTENT_LENGTH);
        if (refusal == null && length > maxObjectSize)
            refusal = "too-large";
        detail = refusal;
        if (refusal != null)
            return false;
        capture = true;
        status = code;
        responseHeaders = fields.asImmutable();
        responseTime = now;
        Function<String, List<String>> requestHeaders = name -> CacheHeaders.values(request, name);
        vary = Vary.selecting(fields.getValuesList("Vary"), requestHeaders);
        connectionListed = HopByHop.connectionListed(fields);
        return false;
    }

    String detail;

    /** Hook, after the upstream's headers were copied: the status headers, with ours last in Cache-Status. */
    static void afterHeaders(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                    Response serverToProxyResponse)
    {
        CacheExchange cx = of(clientToProxyRequest);
        if (cx == null)
            return;
        List<String> upstream = serverToProxyResponse.getHeaders().getValuesList(CACHE_STATUS);
        String ours = cx.cacheStatus(serverToProxyResponse.getStatus());
        StringBuilder value = new StringBuilder();
        for (String u : upstream)
            value.append(u).append(", ");
        value.append(ours);
        CacheHeaders.status(clientToProxyRequest, proxyToClientResponse, cx.unsafe ? "BYPASS" : cx.xCacheStatus, value.toString());
    }

    String cacheStatus(int upstreamStatus)
    {
        if (unsafe)
            return NAME + "; fwd=bypass; fwd-status=" + upstreamStatus;
        StringBuilder b = new StringBuilder(NAME).append("; fwd=").append(fwd);
        if (upstreamStatus > 0)
            b.append("; fwd-status=").append(upstreamStatus);
        if (capture)
            b.append("; stored");
        if (detail != null)
            b.append("; detail=").append(detail);
        return b.toString();
    }

    /** Hook: the body transformer capturing a storable response's body before {@code delegate}, or null when nothing is captured. */
    static AsyncMiddleManServlet.ContentTransformer transformer(HttpServletRequest clientToProxyRequest,
                                                              AsyncMiddleManServlet.ContentTransformer delegate)
    {
        CacheExchange cx = of(clientToProxyRequest);
        if (cx == null || !cx.capture)
            return null;
        return new CaptureTransformer(delegate, cx);
    }

    /** The whole body arrived within the size limit: store it and wake the collapsed followers. */
    void captured(byte[] body)
    {
        if (captured)
            return;
        captured = true;
        cache.store(StoredResponse.of(key, status, responseHeaders, connectionListed, body, requestTime, responseTime, vary));
        land();
    }

    /** The capture was abandoned (too large): followers go upstream themselves. */
    void abandoned()
    {
        captured = true;
        land();
    }

    void land()
    {
        Flight f = flight;
        if (f != null)
        {
            flight = null;
            cache.land(f);
        }
    }

    /**
     * Hook, when the upstream response completed. Returns true when the cache serves the client
     * (after a 304 to its own validators): the request is dispatched back to the cache filter.
     */
    static boolean onSuccess(HttpServletRequest clientToProxyRequest)
    {
        CacheExchange cx = of(clientToProxyRequest);
        if (cx == null)
            return false;
        if (cx.capture && !cx.captured)
            cx.captured(new byte[0]);
        if (cx.mode == Mode.SERVE && clientToProxyRequest.isAsyncStarted())
        {
            clientToProxyRequest.getAsyncContext().dispatch();
            return true;
        }
        return false;
    }

    /**
     * Hook, when going upstream failed (no target, breaker open, connect failure, timeout, or a 5xx
     * taken over above): serves the stale response if stale-if-error allows it. Returns true then.
     */
    static boolean serveStaleOnFailure(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        CacheExchange cx = of(clientToProxyRequest);
        if (cx == null || cx.candidate == null || !cx.staleIfError || proxyToClientResponse.isCommitted())
            return false;
        cx.land();
        cx.toServe = cx.candidate;
        cx.serveStatus = "STALE";
        cx.mode = Mode.SERVE;
        if (clientToProxyRequest.isAsyncStarted())
        {
            clientToProxyRequest.getAsyncContext().dispatch();
            return true;
        }
        try
        {
            CacheFilter.serve(clientToProxyRequest, proxyToClientResponse, cx);
        }
        catch (IOException x)
        {
            // the client went away; nothing else to send it
        }
        return true;
    }

    /** Marks an upstream response aborted because a stale response is served instead. */
    static final class StaleIfError extends RuntimeException
    {
        StaleIfError()
        {
            super("upstream error answered from cache (stale-if-error)", null, false, false);
        }
    }
}
