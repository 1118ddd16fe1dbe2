package dev.gatehouse.routing;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Absolute-form ({@code GET http://host/path HTTP/1.1}) versus origin-form ({@code GET /path}).
 * The embedded server's connections record the form as a request attribute; a servlet container
 * that does not (Tomcat) leaves the proxy to decide by destination instead.
 */
public final class RequestForm
{
    /** Request attribute: {@code Boolean.TRUE} for absolute-form, {@code FALSE} for origin-form, absent if unknown. */
    public static final String ABSOLUTE_FORM_ATTRIBUTE = "dev.gatehouse.absoluteForm";

    private RequestForm()
    {
    }

    /** True for a request target of the form {@code scheme://...}, whatever the scheme. */
    public static boolean isAbsoluteForm(String requestTarget)
    {
        if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) == '/')
            return false;
        int colon = requestTarget.indexOf("://");
        if (colon <= 0 || !Character.isLetter(requestTarget.charAt(0)))
            return false;
        for (int i = 1; i < colon; i++)
        {
            char c = requestTarget.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
                return false;
        }
        return true;
    }

    /** The schemes a forward request may name. */
    public static boolean isHttpScheme(String scheme)
    {
        return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }

    /** The absolute URI of a forward-proxy request, scheme kept (an https URI goes upstream over TLS); the raw path and query as received. */
    public static String forwardTarget(HttpServletRequest clientToProxyRequest, String rawPath)
    {
        String scheme = clientToProxyRequest.getScheme();
        String host = clientToProxyRequest.getServerName();
        int port = clientToProxyRequest.getServerPort();
        String query = clientToProxyRequest.getQueryString();
        StringBuilder target = new StringBuilder(64);
        target.append(scheme).append("://");
        if (host.indexOf(':') >= 0 && !host.startsWith("["))
            target.append('[').append(host).append(']');
        else
            target.append(host);
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        if (!defaultPort && port > 0)
            target.append(':').append(port);
        target.append(rawPath);
        if (query != null)
            target.append('?').append(query);
        return target.toString();
    }
}
