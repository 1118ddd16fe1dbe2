package dev.gatehouse.proxy;

import dev.gatehouse.config.RoutePolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpFields;

/** Per-route request and response header edits; as a participant, on routed requests only. */
public final class HeaderEdits implements ProxyParticipant
{
    @Override
    public void onRequestHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        if (exchange != null)
            applyToRequest(exchange.route.config().policy(), proxyToServerRequest);
    }

    @Override
    public void onResponseHeadersCopied(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                        Response serverToProxyResponse, boolean streaming)
    {
        if (exchange != null)
            applyToResponse(exchange.route.config().policy(), proxyToClientResponse);
    }

    /** {@code routes.<name>.request-headers.remove / set.* / add.*}, in that order. */
    static void applyToRequest(RoutePolicy policy, Request proxyToServerRequest)
    {
        if (policy.requestRemove().isEmpty() && policy.requestSet().isEmpty() && policy.requestAdd().isEmpty())
            return;
        proxyToServerRequest.headers(headers -> applyToRequest(policy, headers));
    }

    /** The same edits on any header collection (the WebSocket upstream handshake's). */
    static void applyToRequest(RoutePolicy policy, HttpFields.Mutable headers)
    {
        for (String name : policy.requestRemove())
            headers.remove(name);
        policy.requestSet().forEach(headers::put);
        policy.requestAdd().forEach(headers::add);
    }

    /** {@code routes.<name>.response-headers.remove / set.* / add.*}, after the upstream's headers are copied. */
    public static void applyToResponse(RoutePolicy policy, HttpServletResponse proxyToClientResponse)
    {
        for (String name : policy.responseRemove())
        {
            if (proxyToClientResponse.containsHeader(name))
                proxyToClientResponse.setHeader(name, null);
        }
        policy.responseSet().forEach(proxyToClientResponse::setHeader);
        policy.responseAdd().forEach(proxyToClientResponse::addHeader);
    }
}
