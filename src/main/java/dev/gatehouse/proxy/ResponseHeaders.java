package dev.gatehouse.proxy;

import java.util.Locale;
import java.util.Set;

import dev.gatehouse.http.HopByHop;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.policy.Policy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * The upstream's response headers onto the client's response, in one pass (this replaces
 * {@code AbstractProxyServlet.onServerResponseHeaders}, which re-parses every value as a list
 * and would look the request's state up again for each header). Dropped: hop-by-hop headers
 * and those the upstream's Connection header names, the upstream's request id and proxy id
 * (the proxy sets its own), {@code headers.remove}. Security headers the proxy set before the
 * upstream answered are replaced by the upstream's own value unless {@code headers.override}.
 * Values are copied as received; the first field of a name replaces any value the proxy set
 * earlier, further fields of the same name are added.
 */
final class ResponseHeaders
{
    private ResponseHeaders()
    {
    }

    static void copy(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                     HttpFields upstreamHeaders, Policy policy)
    {
        Set<String> listed = HopByHop.connectionListed(upstreamHeaders);
        Set<String> removed = policy.removedResponseHeaders();
        boolean upstreamSecurityHeadersWin = !policy.config().headersOverride();
        HttpServletResponse clientResponse = null;
        int count = upstreamHeaders.size();
        String[] copied = new String[count];
        int copiedCount = 0;
        for (int i = 0; i < count; i++)
        {
            HttpField field = upstreamHeaders.getField(i);
            if (HopByHop.is(field))
                continue;
            String headerName = field.getName();
            if (headerName.equalsIgnoreCase(RequestIds.HEADER) || headerName.equalsIgnoreCase(RequestIds.PROXY_ID_HEADER))
                continue;
            if (listed != null && listed.contains(headerName.toLowerCase(Locale.ROOT)))
                continue;
            if (!removed.isEmpty() && removed.contains(headerName))
                continue;
            String value = field.getValue();
            if (Policy.isSecurityHeader(headerName))
            {
                if (upstreamSecurityHeadersWin)
                {
                    if (clientResponse == null)
                        clientResponse = (HttpServletResponse)clientToProxyRequest.getAsyncContext().getResponse();
                    clientResponse.setHeader(headerName, value);
                }
                continue;
            }
            boolean seen = false;
            for (int j = 0; j < copiedCount && !seen; j++)
                seen = copied[j].equalsIgnoreCase(headerName);
            if (seen)
            {
                proxyToClientResponse.addHeader(headerName, value);
            }
            else
            {
                // only the proxy's and the container's own fields are on the response yet: a retry
                // happens before any upstream headers arrive, an error resets the response
                copied[copiedCount++] = headerName;
                OwnHeaders.replaceOrAdd(clientToProxyRequest, proxyToClientResponse, headerName, value);
            }
        }
    }
}
