package dev.gatehouse.proxy;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.http.TraceContext;
import dev.gatehouse.observe.AccessLog;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.observe.LogValues;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.routing.HeaderEdits;
import dev.gatehouse.routing.Route;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.websocket.AccessRecord;
import dev.gatehouse.websocket.HandshakeFailure;
import dev.gatehouse.websocket.WebSocketProxy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * An upgrade request on a route with WebSocket enabled: the route's pool picks the target (health,
 * breaker and bulkhead apply to the handshake as to any request), the request's headers become
 * the upstream handshake's, and {@link WebSocketProxy} opens the session. The target and the
 * bulkhead are released once the handshake is over: a long session does not hold a request slot.
 */
final class WebSocketRoute
{
    /** Not sent upstream: hop-by-hop, the client leg's own handshake, and what the proxy sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "upgrade", "keep-alive", "te", "trailer",
        "transfer-encoding", "content-length", "proxy-connection", "proxy-authorization", "proxy-authenticate",
        "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
        "sec-websocket-accept");

    private WebSocketRoute()
    {
    }

    /** True when the request is an upgrade on a WebSocket-enabled route (and has been answered here). */
    static boolean handle(GatehouseContext context, Upstreams upstreams, GatehouseMetrics metrics, WebSocketProxy websockets, String viaHost,
                          HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse) throws IOException
    {
        if (!WebSocketProxy.isUpgradeRequest(clientToProxyRequest))
            return false;
        Snapshot snapshot = Snapshot.of(clientToProxyRequest, context);
        Dispatch dispatch = Dispatch.of(clientToProxyRequest, snapshot);
        if (dispatch.kind() != Dispatch.Kind.ROUTE || !dispatch.route().config().websocket().enabled())
            return false;
        Route route = dispatch.route();
        UpstreamPool pool = upstreams.pool(route.name());
        if (pool == null)
        {
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, ErrorCode.NO_HEALTHY_UPSTREAM,
                "Route '" + route.name() + "' has no upstream pool");
            return true;
        }
        Exchange exchange = new Exchange(route, pool, metrics);
        clientToProxyRequest.setAttribute(Exchange.ATTRIBUTE, exchange);
        String clientIp = ClientAddress.of(clientToProxyRequest, snapshot.policy());
        ErrorCode refusal = exchange.admit(clientIp);
        if (refusal != null)
        {
            if (refusal == ErrorCode.CIRCUIT_OPEN)
                OwnHeaders.set(clientToProxyRequest, proxyToClientResponse, "Retry-After", Long.toString(pool.retryAfterSeconds()));
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, refusal, Exchange.message(refusal, route.name()));
            return true;
        }
        HandshakeFailure failure;
        try
        {
            String target = route.target(exchange.target().url(), clientToProxyRequest.getRequestURI(),
                clientToProxyRequest.getQueryString());
            WebSocketProxy.Upstream upstream = new WebSocketProxy.Upstream(websocketUri(target),
                headers(clientToProxyRequest, route, viaHost), route.name(), route.config().websocket(),
                pool.settings().timeouts().connect().toMillis(), access(clientToProxyRequest, snapshot, route, clientIp, exchange));
            failure = websockets.open(clientToProxyRequest, proxyToClientResponse, upstream);
            if (failure == null)
                exchange.answered(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
            else if (failure.status() > 0)
                exchange.answered(failure.status());
            else
                exchange.failed(new IOException(failure.message()), true);
        }
        finally
        {
            exchange.finish();
        }
        if (failure != null && !proxyToClientResponse.isCommitted())
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, failure.code(), failure.message());
        return true;
    }

    /** http → ws, https → wss. */
    static URI websocketUri(String httpTarget)
    {
        if (httpTarget.startsWith("https:"))
            return URI.create("wss:" + httpTarget.substring("https:".length()));
        if (httpTarget.startsWith("http:"))
            return URI.create("ws:" + httpTarget.substring("http:".length()));
        return URI.create(httpTarget);
    }

    /**
     * The upstream handshake's headers: the client's end-to-end headers (Origin, Cookie,
     * Authorization, ...), the proxy headers (X-Forwarded-*, X-Real-IP, X-Request-ID, Via,
     * Forwarded), the route's header edits, and Host when the route preserves it.
     */
    static Map<String, List<String>> headers(HttpServletRequest request, Route route, String viaHost)
    {
        HttpFields.Mutable fields = HttpFields.build();
        Set<String> connectionListed = connectionListed(request);
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements())
        {
            String name = names.nextElement();
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || connectionListed.contains(lower))
                continue;
            request.getHeaders(name).asIterator().forEachRemaining(value -> fields.add(name, value));
        }
        ProxyHeaders.addAll(request, fields, viaHost);
        if (route.config().preserveHost() && request.getHeader("Host") != null)
            fields.put("Host", request.getHeader("Host"));
        HeaderEdits.applyToRequest(route.config().policy(), fields);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField f : fields)
            headers.computeIfAbsent(f.getName(), n -> new ArrayList<>(2)).add(f.getValue());
        return headers;
    }

    private static Set<String> connectionListed(HttpServletRequest request)
    {
        Set<String> listed = new HashSet<>();
        Enumeration<String> values = request.getHeaders("Connection");
        while (values != null && values.hasMoreElements())
        {
            for (String token : values.nextElement().split(","))
                listed.add(token.trim().toLowerCase(Locale.ROOT));
        }
        return listed;
    }

    private static AccessRecord access(HttpServletRequest request, Snapshot snapshot, Route route, String clientIp, Exchange exchange)
    {
        String url = LogValues.safe(request.getRequestURI()
            + AccessLog.redactQuery(request.getQueryString(), snapshot.config().log().redact()), 2048);
        return new AccessRecord(url, RequestIds.of(request), request.getAttribute(TraceContext.TRACE_ID_ATTRIBUTE), clientIp,
            route.name(), exchange.lastTarget() == null ? null : LogValues.safe(exchange.lastTarget(), 256),
            LogValues.safe(request.getHeader("User-Agent"), 256), "json".equals(snapshot.config().log().format()));
    }
}
