package dev.gatehouse.proxy;

import java.util.Enumeration;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.cache.Refresher;
import dev.gatehouse.cache.ResponseCache;
import dev.gatehouse.cache.StoredResponse;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.routing.Route;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stale-while-revalidate: refreshes a stale response in the background through the proxy's own
 * clients, to the target the request would go to (the route's pool: balancer, health, breaker,
 * bulkhead; or the forward client with its SSRF-checking resolver), with the request's headers as
 * the proxy would forward them plus the stored validators. The result updates the cache.
 */
final class CacheRefresh implements Refresher
{
    private static final Logger LOG = LoggerFactory.getLogger(CacheRefresh.class);

    private final GatehouseProxyServlet servlet;
    private final GatehouseContext context;
    private final ResponseCache cache;

    CacheRefresh(GatehouseProxyServlet servlet, GatehouseContext context, ResponseCache cache)
    {
        this.servlet = servlet;
        this.context = context;
        this.cache = cache;
    }

    @Override
    public void refresh(HttpServletRequest request, StoredResponse stale, Runnable done)
    {
        try
        {
            if (!send(request, stale, done))
                done.run();
        }
        catch (RuntimeException x)
        {
            LOG.warn("background refresh not started", x);
            done.run();
        }
    }

    private boolean send(HttpServletRequest request, StoredResponse stale, Runnable done)
    {
        Snapshot snapshot = Snapshot.of(request, context);
        Dispatch dispatch = Dispatch.of(request, snapshot);
        Exchange exchange = null;
        String url;
        if (dispatch.kind() == Dispatch.Kind.ROUTE)
        {
            Route route = dispatch.route();
            UpstreamPool pool = servlet.upstreams.pool(route.name());
            if (pool == null)
                return false;
            exchange = new Exchange(pool, servlet.metrics);
            ErrorCode refusal = exchange.admit(ClientAddress.of(request, snapshot.policy()));
            if (refusal != null)
                return false;
            request.setAttribute(GatehouseProxyServlet.ROUTE_ATTRIBUTE, route);
            url = route.target(exchange.target().url(), request.getRequestURI(), request.getQueryString());
        }
        else if (dispatch.isForward())
        {
            url = servlet.forwardTarget(request, request.getRequestURI());
        }
        else
        {
            return false;
        }
        Request upstream = servlet.refreshRequest(request, exchange, url);
        String etag = stale.headers().get("ETag");
        String lastModified = stale.headers().get("Last-Modified");
        upstream.headers(h ->
        {
            for (HttpHeader conditional : new HttpHeader[]{HttpHeader.IF_NONE_MATCH, HttpHeader.IF_MODIFIED_SINCE,
                HttpHeader.IF_MATCH, HttpHeader.IF_UNMODIFIED_SINCE, HttpHeader.IF_RANGE, HttpHeader.RANGE})
                h.remove(conditional);
            if (etag != null)
                h.put(HttpHeader.IF_NONE_MATCH, etag);
            if (lastModified != null)
                h.put(HttpHeader.IF_MODIFIED_SINCE, lastModified);
        });
        HttpFields requestHeaders = copy(request);
        long maxObject = snapshot.config().cache().maxObjectSize();
        long requestTime = cache.now();
        Exchange attempt = exchange;
        upstream.idleTimeout(snapshot.config().idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        upstream.onResponseHeaders(r ->
        {
            if (attempt != null)
                attempt.answered(r.getStatus());
        });
        upstream.send(new BufferingResponseListener((int)Math.min(Integer.MAX_VALUE, maxObject))
        {
            @Override
            public void onComplete(Result result)
            {
                try
                {
                    if (attempt != null)
                    {
                        if (result.isFailed() && result.getResponse() == null)
                            attempt.failed(result.getFailure(), true);
                        attempt.finish();
                    }
                    if (!result.isFailed() || (result.getResponse() != null && result.getResponse().getStatus() == 304))
                    {
                        cache.refreshed(stale, requestHeaders, result.getResponse().getStatus(), result.getResponse().getHeaders(),
                            result.isFailed() ? null : getContent(), requestTime, cache.now());
                    }
                }
                catch (RuntimeException x)
                {
                    LOG.warn("background refresh result not stored", x);
                }
                finally
                {
                    done.run();
                }
            }
        });
        return true;
    }

    private static HttpFields copy(HttpServletRequest request)
    {
        HttpFields.Mutable fields = HttpFields.build();
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements())
        {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements())
                fields.add(name, values.nextElement());
        }
        return fields.asImmutable();
    }
}
