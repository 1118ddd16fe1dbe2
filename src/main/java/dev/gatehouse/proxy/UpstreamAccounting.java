package dev.gatehouse.proxy;

import dev.gatehouse.http.Failures;
import dev.gatehouse.observe.GatehouseMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Response;

/**
 * Breaker and failure accounting of an exchange: the upstream's status is the attempt's outcome
 * (a failure status counts against the target), the request's end releases the target and the
 * bulkhead permit, and an upstream-caused failure is counted for the route (or "forward") and
 * named for the access log. A failed attempt itself is recorded by the servlet before it decides
 * on a retry ({@link Exchange#failed}).
 */
public final class UpstreamAccounting implements ProxyParticipant
{
    private final GatehouseMetrics metrics;

    public UpstreamAccounting(GatehouseMetrics metrics)
    {
        this.metrics = metrics;
    }

    @Override
    public boolean onResponseHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        if (exchange != null)
            exchange.answered(serverToProxyResponse.getStatus());
        return false;
    }

    @Override
    public boolean onSuccess(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        if (exchange != null)
            exchange.finish();
        return false;
    }

    @Override
    public boolean onFailure(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                             Throwable failure, boolean upstreamCaused)
    {
        if (exchange != null)
            exchange.finish();
        if (upstreamCaused)
        {
            String kind = Failures.kind(failure);
            clientToProxyRequest.setAttribute(Failures.UPSTREAM_ERROR_ATTRIBUTE, kind);
            metrics.upstreamError(exchange != null ? exchange.route.name() : "forward", kind);
        }
        return false;
    }
}
