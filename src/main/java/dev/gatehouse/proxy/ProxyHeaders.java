package dev.gatehouse.proxy;

import java.util.Enumeration;

import dev.gatehouse.http.RequestIds;
import dev.gatehouse.http.TraceContext;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;

/** The header policy for requests going upstream: the X-Forwarded family, X-Real-IP, request id. */
final class ProxyHeaders
{
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String X_REAL_IP = "X-Real-IP";

    private ProxyHeaders()
    {
    }

    /**
     * Adds what the upstream needs to know about the client. Values a client sent itself for
     * X-Real-IP, X-Forwarded-Proto and X-Forwarded-Host are replaced, X-Forwarded-For is extended.
     */
    static void add(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        proxyToServerRequest.headers(headers -> add(clientToProxyRequest, headers));
    }

    /** The same headers, into any header collection (the WebSocket upstream handshake builds its own). */
    static void add(HttpServletRequest clientToProxyRequest, HttpFields.Mutable headers)
    {
        String clientAddress = clientToProxyRequest.getRemoteAddr();
        String existingChain = joined(clientToProxyRequest.getHeaders(X_FORWARDED_FOR));
        String chain = existingChain == null ? clientAddress : existingChain + ", " + clientAddress;
        String host = clientToProxyRequest.getHeader("Host");
        String proto = clientToProxyRequest.isSecure() ? "https" : "http";
        String requestId = RequestIds.of(clientToProxyRequest);
        Object createdTrace = clientToProxyRequest.getAttribute(TraceContext.CREATED_ATTRIBUTE);
        if (createdTrace != null)
        {
            // no valid incoming trace: start one (a malformed traceparent and its tracestate are dropped)
            headers.put(TraceContext.TRACEPARENT, createdTrace.toString());
            headers.remove("tracestate");
        }
        headers.put(X_FORWARDED_FOR, chain);
        headers.put(X_FORWARDED_PROTO, proto);
        if (host != null)
            headers.put(X_FORWARDED_HOST, host);
        else
            headers.remove(X_FORWARDED_HOST);
        headers.put(X_REAL_IP, clientAddress);
        if (requestId != null)
            headers.put(RequestIds.HEADER, requestId);
    }

    static String joined(Enumeration<String> values)
    {
        if (values == null || !values.hasMoreElements())
            return null;
        String first = values.nextElement();
        if (!values.hasMoreElements())
            return first;
        StringBuilder b = new StringBuilder(first);
        while (values.hasMoreElements())
            b.append(", ").append(values.nextElement());
        return b.toString();
    }

    /** True if a Via chain names this proxy: the request has been here before. */
    static boolean viaNames(Enumeration<String> via, String proxyId)
    {
        if (via == null)
            return false;
        while (via.hasMoreElements())
        {
            String value = via.nextElement();
            int from = 0;
            while (true)
            {
                int at = value.indexOf(proxyId, from);
                if (at < 0)
                    break;
                int end = at + proxyId.length();
                boolean startOk = at > 0 && value.charAt(at - 1) == ' ';
                boolean endOk = end == value.length() || value.charAt(end) == ',' || value.charAt(end) == ' ';
                if (startOk && endOk)
                    return true;
                from = end;
            }
        }
        return false;
    }
}
