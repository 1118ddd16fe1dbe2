package dev.gatehouse.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.RoutePolicy;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;

/** Per-route header edits and the precedence between the proxy's security headers and the upstream's. */
final class HeaderEdits
{
    private HeaderEdits()
    {
    }

    /** {@code routes.<name>.request-headers.remove / set.* / add.*}, in that order. */
    static void applyToRequest(RoutePolicy policy, Request proxyToServerRequest)
    {
        if (policy.requestRemove().isEmpty() && policy.requestSet().isEmpty() && policy.requestAdd().isEmpty())
            return;
        proxyToServerRequest.headers(headers ->
        {
            for (String name : policy.requestRemove())
                headers.remove(name);
            policy.requestSet().forEach(headers::put);
            policy.requestAdd().forEach(headers::add);
        });
    }

    /** {@code routes.<name>.response-headers.remove / set.* / add.*}, after the upstream's headers are copied. */
    static void applyToResponse(RoutePolicy policy, HttpServletResponse proxyToClientResponse)
    {
        for (String name : policy.responseRemove())
        {
            if (proxyToClientResponse.containsHeader(name))
                proxyToClientResponse.setHeader(name, null);
        }
        policy.responseSet().forEach(proxyToClientResponse::setHeader);
        policy.responseAdd().forEach(proxyToClientResponse::addHeader);
    }

    /**
     * The proxy set its security headers before the upstream answered; where the upstream sent the
     * same header, the upstream's value wins unless {@code override}.
     */
    static void resolveSecurityHeaders(Map<String, String> security, boolean override, HttpServletResponse proxyToClientResponse)
    {
        for (Map.Entry<String, String> h : security.entrySet())
        {
            Collection<String> values = proxyToClientResponse.getHeaders(h.getKey());
            if (values.size() < 2)
                continue;
            if (override)
            {
                proxyToClientResponse.setHeader(h.getKey(), h.getValue());
                continue;
            }
            List<String> upstream = new ArrayList<>(values);
            upstream.remove(0); // ours was set first
            proxyToClientResponse.setHeader(h.getKey(), upstream.get(0));
            for (int i = 1; i < upstream.size(); i++)
                proxyToClientResponse.addHeader(h.getKey(), upstream.get(i));
        }
    }
}
