package dev.gatehouse.routing;


import dev.gatehouse.config.RoutePolicy;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;

/** Per-route request and response header edits. */
public final class HeaderEdits
{
    private HeaderEdits()
    {
    }

    /** {@code routes.<name>.request-headers.remove / set.* / add.*}, in that order. */
    public static void applyToRequest(RoutePolicy policy, Request proxyToServerRequest)
    {
        if (policy.requestRemove().isEmpty() && policy.requestSet().isEmpty() && policy.requestAdd().isEmpty())
            return;
        proxyToServerRequest.headers(headers -> applyToRequest(policy, headers));
    }

    /** The same edits on any header collection (the WebSocket upstream handshake's). */
    public static void applyToRequest(RoutePolicy policy, HttpFields.Mutable headers)
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
