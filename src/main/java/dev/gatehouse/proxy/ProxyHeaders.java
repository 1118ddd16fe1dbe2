package dev.gatehouse.proxy;

import java.util.Enumeration;

import dev.gatehouse.http.RequestIds;
import dev.gatehouse.http.TraceContext;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The header policy for requests going upstream: Via, Forwarded, the X-Forwarded family,
 * X-Real-IP, request id and trace context. One policy for proxied requests and WebSocket
 * handshakes.
 */
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
     * All the proxy headers into a request's headers, in one pass: this hop's Via and Forwarded
     * elements appended to what the client sent, then {@link #add(HttpServletRequest, HttpFields.Mutable)}.
     * The values are built directly: Jetty's own {@code addViaHeader} and {@code addForwardedHeader}
     * go through a regex split, a {@code Formatter} and streams, about 1.5 KB of garbage per request.
     */
    static void addAll(HttpServletRequest clientToProxyRequest, HttpFields.Mutable headers, String viaHost)
    {
        append(headers, HttpHeader.VIA, via(clientToProxyRequest, viaHost));
        append(headers, HttpHeader.FORWARDED, forwarded(clientToProxyRequest));
        add(clientToProxyRequest, headers);
    }

    /** This hop's Via element: {@code 1.1 proxy-id} (the protocol name is left out when it is HTTP). */
    static String via(HttpServletRequest request, String viaHost)
    {
        String protocol = request.getProtocol();
        String version = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        return version + " " + viaHost;
    }

    /**
     * This hop's RFC 7239 element: {@code by="<proxy address>";for="<client address>";host="<Host>";proto=http},
     * addresses quoted, IPv6 ones in brackets.
     */
    static String forwarded(HttpServletRequest request)
    {
        StringBuilder b = new StringBuilder(96);
        node(b.append("by="), request.getLocalAddr());
        node(b.append(";for="), request.getRemoteAddr());
        String host = request.getHeader("Host");
        if (host != null)
            quoted(b.append(";host="), host);
        return b.append(";proto=").append(request.isSecure() ? "https" : "http").toString();
    }

    private static void node(StringBuilder b, String address)
    {
        if (address != null && address.indexOf(':') >= 0 && !address.startsWith("["))
            quoted(b, "[" + address + "]");
        else
            quoted(b, address == null ? "unknown" : address);
    }

    private static void quoted(StringBuilder b, String value)
    {
        b.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            char c = value.charAt(i);
            if (c == '"' || c == '\\')
                b.append('\\');
            b.append(c);
        }
        b.append('"');
    }

    /** The value as the header's last element: a header the client sent keeps its elements first, in one field. */
    private static void append(HttpFields.Mutable headers, HttpHeader header, String value)
    {
        if (!headers.contains(header))
        {
            headers.add(header, value);
            return;
        }
        StringBuilder b = new StringBuilder();
        for (String element : headers.getValuesList(header))
        {
            if (!element.isBlank())
                b.append(element).append(", ");
        }
        headers.put(header, b.append(value).toString());
    }

    /**
     * Adds what the upstream needs to know about the client. Values a client sent itself for
     * X-Real-IP, X-Forwarded-Proto and X-Forwarded-Host are replaced, X-Forwarded-For is extended.
     */
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
