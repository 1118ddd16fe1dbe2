package dev.gatehouse.cache;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

import dev.gatehouse.compress.ResponseCompression;
import dev.gatehouse.config.CacheConfig;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.routing.Route;
import dev.gatehouse.web.ContextFilter;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The cache lookup, last in the policy chain and in front of the proxy servlet, so a hit never
 * touches the upstream machinery (client, route pool, breakers). Mapped for REQUEST and ASYNC
 * dispatches: a collapsed miss waits asynchronously and comes back here through
 * {@link AsyncContext#dispatch()}, as does a request whose response the cache serves after the
 * upstream answered (304 to the cache's validators, stale-if-error).
 */
public class CacheFilter extends ContextFilter
{
    private transient ResponseCache cache;
    private transient ResponseCompression compression;

    @Override
    public void init() throws ServletException
    {
        super.init();
        cache = ResponseCache.from(getServletContext());
        compression = ResponseCompression.from(getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        if (request.getDispatcherType() == DispatcherType.ASYNC)
        {
            CacheExchange cx = CacheExchange.of(request);
            if (cx != null && cx.mode == CacheExchange.Mode.SERVE)
            {
                serve(request, response, cx);
                return;
            }
            if (cx == null || cx.mode == CacheExchange.Mode.PASS)
            {
                // a collapsed follower that waited too long goes upstream itself, from now
                if (cx != null)
                    cx.requestTime = cx.cache.now();
                chain.doFilter(request, response);
                return;
            }
            // a collapsed follower, woken up: look again, without waiting a second time
            request.removeAttribute(CacheExchange.ATTRIBUTE);
            lookup(request, response, chain, true);
            return;
        }
        if (context.isAdminRequest(request) || request.getHeader("Upgrade") != null)
        {
            // admin endpoints, WebSocket upgrades: not proxied HTTP responses (mapped to the proxy
            // servlet by name, the filter never sees the other servlets' requests)
            chain.doFilter(request, response);
            return;
        }
        lookup(request, response, chain, false);
    }

    private void lookup(HttpServletRequest request, HttpServletResponse response, FilterChain chain, boolean followed)
        throws IOException, ServletException
    {
        Snapshot snapshot = Snapshot.of(request, context);
        CacheConfig config = snapshot.config().cache();
        Dispatch dispatch = Dispatch.of(request, snapshot);
        if (!config.enabled() || dispatch.kind() == Dispatch.Kind.NONE)
        {
            chain.doFilter(request, response);
            return;
        }
        String method = request.getMethod();
        Route route = dispatch.route();
        String path = request.getRequestURI();
        CacheTarget target = new CacheTarget(request.getScheme(), request.getServerName(), request.getServerPort(), path, config.sortQuery());
        String key = target.key(path, request.getQueryString());
        boolean cacheable = ("GET".equals(method) || "HEAD".equals(method)) && config.enabledFor(route == null ? null : route.name())
            && included(snapshot, path);
        CacheControl requestCc = ServePolicy.requestDirectives(CacheHeaders.values(request, "Cache-Control"),
            CacheHeaders.values(request, "Pragma"));
        boolean range = request.getHeader("Range") != null;
        CacheExchange cx = new CacheExchange(cache, target, key, requestCc, config.maxObjectSize(),
            cacheable && "GET".equals(method) && !requestCc.has("no-store") && !range, method);
        Function<String, List<String>> headers = name -> CacheHeaders.values(request, name);
        long now = cache.now();
        StoredResponse stored = cacheable ? cache.lookup(key, headers) : null;
        ByteRange byteRange = null;
        if (range && stored != null && stored.status == 200 && "GET".equals(method)
            && ServePolicy.decide(stored, requestCc, now) != ServePolicy.Action.VALIDATE)
            byteRange = ByteRange.of(request.getHeader("Range"), request.getHeader("If-Range"), stored.headers, stored.body.length);
        if (!cacheable || (range && byteRange == null))
        {
            cache.bypasses.inc();
            if (cx.unsafe)
                request.setAttribute(CacheExchange.ATTRIBUTE, cx);
            CacheHeaders.status(request, response, "BYPASS", CacheExchange.NAME + "; fwd=bypass"
                + (range ? "; detail=range" : ""));
            chain.doFilter(request, response);
            return;
        }
        if (stored != null)
        {
            ServePolicy.Action action = ServePolicy.decide(stored, requestCc, now);
            switch (action)
            {
                case FRESH ->
                {
                    cache.hits.inc();
                    answer(request, response, snapshot, route, stored, now, "HIT", byteRange);
                    return;
                }
                case STALE ->
                {
                    cache.stale.inc();
                    answer(request, response, snapshot, route, stored, now, "STALE", byteRange);
                    return;
                }
                case STALE_WHILE_REVALIDATE ->
                {
                    cache.stale.inc();
                    if (cache.startRefresh(key))
                        Refresher.from(request.getServletContext()).refresh(request, stored, () -> cache.endRefresh(key));
                    answer(request, response, snapshot, route, stored, now, "STALE", byteRange);
                    return;
                }
                case VALIDATE ->
                {
                    cx.candidate = stored;
                    cx.staleIfError = ServePolicy.staleIfError(stored, requestCc, now);
                    cx.fwd = requestCc.has("no-cache") || requestCc.has("max-age") || requestCc.has("min-fresh") ? "request" : "stale";
                    cx.xCacheStatus = "EXPIRED";
                }
            }
        }
        else if (cache.hasKey(key))
        {
            cx.fwd = "vary-miss";
        }
        if (requestCc.has("only-if-cached"))
        {
            CacheHeaders.status(request, response, "MISS", CacheExchange.NAME + "; fwd=miss; detail=only-if-cached");
            ErrorResponse.send(request, response, ErrorCode.NOT_CACHED, "The response is not in the cache (only-if-cached)");
            return;
        }
        request.setAttribute(CacheExchange.ATTRIBUTE, cx);
        CacheHeaders.status(request, response, cx.xCacheStatus, CacheExchange.NAME + "; fwd=" + cx.fwd);
        if ("GET".equals(method) && cx.storable && !followed && Collapsing.waitFor(request, cx, config))
            return;
        cx.requestTime = now;
        try
        {
            chain.doFilter(request, response);
        }
        finally
        {
            if (cx.flight != null)
                Collapsing.landWhenDone(request, cx);
        }
    }

    private boolean included(Snapshot snapshot, String path)
    {
        CompiledGlobs globs = CompiledGlobs.of(snapshot.config().cache());
        return (globs.include().isEmpty() || Glob.any(globs.include(), path)) && !Glob.any(globs.exclude(), path);
    }

    /** Answers a lookup from a stored response (fresh, or stale where the client or the entry allows it). */
    private void answer(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Route route,
                        StoredResponse stored, long now, String status, ByteRange byteRange) throws IOException
    {
        respond(request, response, snapshot, compression, route, stored, now, status, false, "; hit; ttl=", "",
            byteRange == null || byteRange.whole() ? null : byteRange);
    }

    /** Serves the response an exchange settled on (after a 304 to the cache's validators, or stale on error). */
    static void serve(HttpServletRequest request, HttpServletResponse response, CacheExchange cx) throws IOException
    {
        GatehouseContext context = GatehouseContext.from(request.getServletContext());
        Snapshot snapshot = Snapshot.of(request, context);
        Dispatch dispatch = Dispatch.of(request, snapshot);
        cx.mode = CacheExchange.Mode.PASS;
        StoredResponse stored = cx.toServe;
        long now = cx.cache.now();
        boolean revalidated = "REVALIDATED".equals(cx.serveStatus);
        if (!revalidated)
            cx.cache.stale.inc();
        respond(request, response, snapshot, ResponseCompression.from(request.getServletContext()), dispatch.route(), stored, now,
            cx.serveStatus, revalidated, revalidated ? "; fwd=stale; fwd-status=304; ttl=" : "; hit; ttl=",
            revalidated ? "" : "; detail=stale-if-error", null);
    }

    /**
     * Writes a stored response, or 304 when the client's precondition matches it; the
     * {@code Cache-Status} field is the cache's name, {@code beforeTtl}, the seconds of freshness
     * left and {@code afterTtl}.
     */
    private static void respond(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, ResponseCompression compression,
                                Route route, StoredResponse stored, long now, String xCacheStatus, boolean validated, String beforeTtl,
                                String afterTtl, ByteRange range) throws IOException
    {
        List<String> inm = CacheHeaders.values(request, "If-None-Match");
        String ims = request.getHeader("If-Modified-Since");
        boolean notModified = Conditional.isConditional(inm, ims) && Conditional.notModified(stored.headers, stored.responseTime, inm, ims);
        long ttl = (stored.lifetime - stored.currentAge(now)) / 1000;
        CachedResponseWriter.write(request, response, stored, now, snapshot, compression, route, notModified, validated, xCacheStatus,
            CacheExchange.NAME + beforeTtl + ttl + afterTtl, range);
    }
}
