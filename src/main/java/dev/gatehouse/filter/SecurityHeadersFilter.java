package dev.gatehouse.filter;

import java.util.Map;

import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Security response headers ({@code headers.*}, per route {@code routes.<name>.headers.*}) on every
 * response, including the proxy's own errors. Runs right after the request id, so refusals by
 * later filters carry them too. An upstream's own value wins unless {@code headers.override=true}
 * (the proxy servlet resolves that when the upstream response arrives).
 * {@code Strict-Transport-Security} is only sent over HTTPS.
 */
public class SecurityHeadersFilter extends PolicyFilter
{
    public static final String HSTS = "Strict-Transport-Security";

    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
    {
        String route = dispatch.kind() == Dispatch.Kind.ROUTE ? dispatch.route().name() : null;
        Map<String, String> headers = snapshot.policy().securityHeaders(route);
        boolean secure = request.isSecure();
        for (Map.Entry<String, String> h : headers.entrySet())
        {
            if (secure || !HSTS.equals(h.getKey()))
                OwnHeaders.set(request, response, h.getKey(), h.getValue());
        }
        return true;
    }
}
