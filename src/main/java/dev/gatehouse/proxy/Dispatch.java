package dev.gatehouse.proxy;

import java.net.InetAddress;

import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;

/**
 * How a request will be served, decided once and shared by the filters and the proxy servlet:
 * forwarded to the host it names, sent along a route, or neither.
 * <p>An absolute-form request naming another host than this proxy is a forward-proxy request; a
 * request addressed to the proxy itself (origin-form, or absolute-form naming this listener) is
 * matched against the routes. Where the container does not record the request form (Tomcat), a
 * request naming another host than this proxy that matches no route is forwarded.</p>
 *
 * @param kind  what happens to the request
 * @param route the matched route, for {@link Kind#ROUTE}
 */
public record Dispatch(Kind kind, Route route)
{
    public enum Kind
    {
        /** Forward proxy: the absolute URI names the destination. */
        FORWARD,
        /** Reverse proxy: a configured route serves it. */
        ROUTE,
        /** Addressed to the proxy, matching no route: 404. */
        NONE
    }

    static final String ATTRIBUTE = "dev.gatehouse.dispatch";
    private static final Dispatch FORWARD = new Dispatch(Kind.FORWARD, null);
    private static final Dispatch NONE = new Dispatch(Kind.NONE, null);

    /** Decides (once per request; later calls return the same answer). */
    public static Dispatch of(HttpServletRequest request, Snapshot snapshot)
    {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof Dispatch d)
            return d;
        Dispatch d = decide(request, snapshot);
        request.setAttribute(ATTRIBUTE, d);
        return d;
    }

    private static Dispatch decide(HttpServletRequest request, Snapshot snapshot)
    {
        Object form = request.getAttribute(RequestForm.ABSOLUTE_FORM_ATTRIBUTE);
        String proxyHost = snapshot.config().proxyHost();
        if (Boolean.TRUE.equals(form) && !isForThisProxy(request, proxyHost))
            return FORWARD;
        Route route = snapshot.router().match(request.getServerName(), request.getRequestURI(), request::getHeader,
            request.getQueryString());
        if (route != null)
            return new Dispatch(Kind.ROUTE, route);
        if (form == null && !isForThisProxy(request, proxyHost))
            return FORWARD;
        return NONE;
    }

    public boolean isForward()
    {
        return kind == Kind.FORWARD;
    }

    /**
     * True when the request names this proxy itself (its own port, and a loopback name, the
     * listener's address or {@code proxy.host}) rather than a destination to forward to.
     */
    static boolean isForThisProxy(HttpServletRequest request, String proxyHost)
    {
        if (request.getServerPort() != request.getLocalPort())
            return false;
        String host = request.getServerName();
        if (host == null || host.isEmpty())
            return true;
        // No getLocalName(): it may cost a reverse DNS lookup.
        if (host.equalsIgnoreCase("localhost") || host.equals(request.getLocalAddr()) || host.equalsIgnoreCase(proxyHost))
            return true;
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return isLoopbackLiteral(bare);
    }

    private static boolean isLoopbackLiteral(String host)
    {
        if (host.equals("0.0.0.0"))
            return true;
        if (host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1"))
        {
            try
            {
                // only literals reach here (digits and dots, or the IPv6 loopback): no DNS lookup
                return InetAddress.getByName(host).isLoopbackAddress();
            }
            catch (java.io.IOException x)
            {
                return false;
            }
        }
        return false;
    }
}
