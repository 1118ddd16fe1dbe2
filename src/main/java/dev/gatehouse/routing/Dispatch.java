package dev.gatehouse.routing;

import java.io.IOException;
import java.net.InetAddress;

import jakarta.servlet.http.HttpServletRequest;

/**
 * How a request will be served, decided once and shared by the filters, the local endpoints and
 * the proxy servlet: forwarded to the host it names, sent along a route, or neither.
 * <p>Two kinds of request arrive on one port: requests <em>through</em> the proxy and requests
 * <em>for</em> it. A request is through the proxy when it names its destination itself and that
 * destination is not this proxy: an HTTP/1.1 absolute-form request line
 * ({@code GET http://example.com/x}), recorded by the embedded server's connections, or an HTTP/2
 * request whose {@code :authority} names a host that is not this proxy (not its listener address
 * or a loopback name on its port, not a host a route claims with {@code match.host}, and not
 * reached over TLS as {@code https}). Such a request is forwarded, or refused by forward policy;
 * it never reaches a route or a local endpoint, whatever its path. An absolute URI with a scheme
 * other than http or https is refused (400).</p>
 * <p>Everything else is for the proxy and matched against the routes. Where the container does not
 * record the request form (a WAR in Tomcat or Jetty), a request that matches no route and names
 * another host is forwarded; local endpoints then rely on their own checks (the CLI's Host and
 * Origin rules, the admin ACL).</p>
 *
 * @param kind     what happens to the request
 * @param route    the matched route, for {@link Kind#ROUTE}
 * @param explicit the request itself named a destination other than this proxy (known at the
 *                 connector); such a request never reaches a local endpoint
 */
public record Dispatch(Kind kind, Route route, boolean explicit)
{
    public enum Kind
    {
        /** Forward proxy: the absolute URI names the destination. */
        FORWARD,
        /** Reverse proxy: a configured route serves it. */
        ROUTE,
        /** Addressed to the proxy, matching no route: 404. */
        NONE,
        /** An absolute URI whose scheme is neither http nor https: 400. */
        UNSUPPORTED_SCHEME
    }

    static final String ATTRIBUTE = "dev.gatehouse.dispatch";
    private static final Dispatch FORWARD = new Dispatch(Kind.FORWARD, null, false);
    private static final Dispatch FORWARD_EXPLICIT = new Dispatch(Kind.FORWARD, null, true);
    private static final Dispatch UNSUPPORTED = new Dispatch(Kind.UNSUPPORTED_SCHEME, null, true);
    private static final Dispatch NONE = new Dispatch(Kind.NONE, null, false);

    /** Decides (once per request; later calls return the same answer). */
    public static Dispatch of(HttpServletRequest request, Routing snapshot)
    {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof Dispatch d)
            return d;
        Dispatch d = decide(request, snapshot);
        request.setAttribute(ATTRIBUTE, d);
        return d;
    }

    private static Dispatch decide(HttpServletRequest request, Routing snapshot)
    {
        Object form = request.getAttribute(RequestForm.ABSOLUTE_FORM_ATTRIBUTE);
        String proxyHost = snapshot.config().proxyHost();
        Router router = snapshot.router();
        if (Boolean.TRUE.equals(form) && !RequestForm.isHttpScheme(request.getScheme()))
            return UNSUPPORTED;
        boolean http2 = "HTTP/2.0".equals(request.getProtocol());
        if (http2 ? !authorityIsOwn(request, proxyHost, router) : Boolean.TRUE.equals(form) && !isForThisProxy(request, proxyHost))
            return FORWARD_EXPLICIT;
        Route route = router.match(request.getServerName(), request.getRequestURI(), request::getHeader, request.getQueryString());
        if (route != null)
            return new Dispatch(Kind.ROUTE, route, false);
        if (form == null && !http2 && !isForThisProxy(request, proxyHost))
            return FORWARD;
        return NONE;
    }

    /**
     * An HTTP/2 request always carries its authority, so it is read like an HTTP/1.1 request line
     * that may be absolute: the authority names this proxy when it is the listener itself, a host a
     * route claims, or was reached over TLS ({@code https}: the client addressed the site this
     * listener terminates).
     */
    private static boolean authorityIsOwn(HttpServletRequest request, String proxyHost, Router router)
    {
        return request.isSecure() || isForThisProxy(request, proxyHost) || router.claimsHost(request.getServerName());
    }

    public boolean isForward()
    {
        return kind == Kind.FORWARD;
    }

    /** A request through the proxy that named its destination itself: it must not reach a local endpoint. */
    public boolean isThrough()
    {
        return explicit;
    }

    /**
     * True when the request names this proxy itself (its own port, and a loopback name, the
     * listener's address or {@code proxy.host}) rather than a destination to forward to.
     */
    static boolean isForThisProxy(HttpServletRequest request, String proxyHost)
    {
        return request.getServerPort() == request.getLocalPort() && namesThisProxy(request, proxyHost);
    }

    /**
     * True when the request's host (any port) is this proxy's: empty, {@code localhost}, a loopback
     * literal, the listener's own address or {@code proxy.host}.
     */
    public static boolean namesThisProxy(HttpServletRequest request, String proxyHost)
    {
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
            catch (IOException x)
            {
                return false;
            }
        }
        return false;
    }
}
