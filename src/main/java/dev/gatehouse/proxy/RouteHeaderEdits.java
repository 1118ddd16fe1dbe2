package dev.gatehouse.proxy;

import dev.gatehouse.routing.HeaderEdits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;

/** The route's request and response header edits ({@link HeaderEdits}) as a participant, on routed requests only. */
public final class RouteHeaderEdits implements ProxyParticipant
{
    @Override
    public void onRequestHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        if (exchange != null)
            HeaderEdits.applyToRequest(exchange.route.config().policy(), proxyToServerRequest);
    }

    @Override
    public void onResponseHeadersCopied(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                        Response serverToProxyResponse, boolean streaming)
    {
        if (exchange != null)
            HeaderEdits.applyToResponse(exchange.route.config().policy(), proxyToClientResponse);
    }
}
