package dev.gatehouse.proxy;

import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.routing.RequestForm;
import dev.gatehouse.routing.Route;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a proxied request goes, as {@link Dispatch} decided: the absolute URI of a forward
 * request, or for a route a target from its pool (only healthy targets whose breaker lets the
 * call through, after the route's bulkhead admits the request). The target keeps the raw path
 * and query. A refusal is recorded on the request for the servlet's error response.
 */
final class Targets
{
    static final String ERROR_ATTRIBUTE = "dev.gatehouse.error";
    static final String ERROR_MESSAGE_ATTRIBUTE = "dev.gatehouse.errorMessage";

    private Targets()
    {
    }

    /** The rewritten target, or null with the refusal recorded (503 CIRCUIT_OPEN with Retry-After, NO_HEALTHY_UPSTREAM, ...). */
    static String rewrite(HttpServletRequest clientToProxyRequest, GatehouseContext context, Upstreams upstreams, GatehouseMetrics metrics)
    {
        Snapshot snapshot = Snapshot.of(clientToProxyRequest, context);
        Dispatch dispatch = Dispatch.of(clientToProxyRequest, snapshot);
        String rawPath = clientToProxyRequest.getRequestURI();
        return switch (dispatch.kind())
        {
            case FORWARD -> snapshot.router().config().forwardEnabled() ? RequestForm.forwardTarget(clientToProxyRequest, rawPath)
                : fail(clientToProxyRequest, ErrorCode.NO_ROUTE, "Forward proxying is disabled on this proxy");
            case ROUTE -> route(clientToProxyRequest, snapshot, dispatch.route(), rawPath, upstreams, metrics);
            case NONE -> fail(clientToProxyRequest, ErrorCode.NO_ROUTE, "No route matches this request");
            case UNSUPPORTED_SCHEME -> fail(clientToProxyRequest, ErrorCode.BAD_REQUEST, "Only http and https URIs can be forwarded");
        };
    }

    private static String route(HttpServletRequest clientToProxyRequest, Snapshot snapshot, Route route, String rawPath, Upstreams upstreams,
                                GatehouseMetrics metrics)
    {
        UpstreamPool pool = upstreams.pool(route.name());
        if (pool == null)
            return fail(clientToProxyRequest, ErrorCode.NO_HEALTHY_UPSTREAM, "Route '" + route.name() + "' has no upstream pool");
        Exchange exchange = new Exchange(route, pool, metrics);
        clientToProxyRequest.setAttribute(Exchange.ATTRIBUTE, exchange);
        ErrorCode refusal = exchange.admit(ClientAddress.of(clientToProxyRequest, snapshot.policy()));
        if (refusal == ErrorCode.CIRCUIT_OPEN)
            OwnHeaders.record(clientToProxyRequest, "Retry-After", Long.toString(pool.retryAfterSeconds()));
        if (refusal != null)
            return fail(clientToProxyRequest, refusal, Exchange.message(refusal, route.name()));
        return route.target(exchange.target().url(), rawPath, clientToProxyRequest.getQueryString());
    }

    private static String fail(HttpServletRequest request, ErrorCode code, String message)
    {
        request.setAttribute(ERROR_ATTRIBUTE, code);
        request.setAttribute(ERROR_MESSAGE_ATTRIBUTE, message);
        return null;
    }
}
