package dev.gatehouse.proxy;

import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.routing.RequestForm;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.Request;

/**
 * The proxy servlet's {@link BackgroundRequests}: a GET to where the request would go (forward,
 * or a target of the route's pool, admitted and accounted like any exchange but not recorded on
 * the request), through the same hooks as the servlet's own requests.
 */
final class RefreshRequests implements BackgroundRequests
{
    private final GatehouseProxyServlet servlet;
    private final GatehouseContext context;
    private final Upstreams upstreams;
    private final GatehouseMetrics metrics;

    RefreshRequests(GatehouseProxyServlet servlet, GatehouseContext context, Upstreams upstreams, GatehouseMetrics metrics)
    {
        this.servlet = servlet;
        this.context = context;
        this.upstreams = upstreams;
        this.metrics = metrics;
    }

    @Override
    public Request newGet(HttpServletRequest clientToProxyRequest)
    {
        Snapshot snapshot = Snapshot.of(clientToProxyRequest, context);
        Dispatch dispatch = Dispatch.of(clientToProxyRequest, snapshot);
        String rawPath = clientToProxyRequest.getRequestURI();
        Exchange exchange = null;
        String target;
        if (dispatch.isForward())
        {
            target = RequestForm.forwardTarget(clientToProxyRequest, rawPath);
        }
        else if (dispatch.kind() == Dispatch.Kind.ROUTE)
        {
            UpstreamPool pool = upstreams.pool(dispatch.route().name());
            if (pool == null)
                return null;
            exchange = new Exchange(dispatch.route(), pool, metrics);
            if (exchange.admit(ClientAddress.of(clientToProxyRequest, snapshot.policy())) != null)
                return null;
            target = dispatch.route().target(exchange.target().url(), rawPath, clientToProxyRequest.getQueryString());
        }
        else
        {
            return null;
        }
        Request proxyToServerRequest = servlet.prepare(clientToProxyRequest, exchange, target, "GET");
        // the client's request is recycled once it is answered from cache: keep no reference to it
        proxyToServerRequest.getAttributes().remove(GatehouseProxyServlet.CLIENT_REQUEST);
        proxyToServerRequest.idleTimeout(snapshot.config().idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (exchange != null)
            exchange.accountBackground(proxyToServerRequest);
        return proxyToServerRequest;
    }
}
