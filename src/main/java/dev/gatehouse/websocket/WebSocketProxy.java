package dev.gatehouse.websocket;

import java.net.URI;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.RouteWebSocket;
import dev.gatehouse.http.ErrorCode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket reverse proxying, where the container offers the Jakarta WebSocket API. This class
 * needs none of it: a WAR deployed in a container without WebSocket support (a Jetty base without
 * {@code ee10-websocket-jakarta}) starts and proxies HTTP, and its WebSocket routes answer 501
 * with the JSON body naming what to install. Where the API is present, {@link JakartaSessions}
 * opens the sessions.
 */
public final class WebSocketProxy implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketProxy.class);
    /** Set on a request whose connection became a WebSocket session (the access log writes its line at close). */
    public static final String UPGRADED_ATTRIBUTE = "dev.gatehouse.websocket.upgraded";
    /** What a WebSocket route answers (501) where the container has no WebSocket support. */
    static final String NOT_INSTALLED = "WebSocket routes need the container's Jakarta WebSocket support"
        + " (Jetty: the ee10-websocket-jakarta module; Tomcat has it built in)";
    private static final String API = "jakarta.websocket.server.ServerContainer";

    /** Null where the container has no Jakarta WebSocket API. */
    private final JakartaSessions sessions;

    public WebSocketProxy(PrometheusRegistry registry)
    {
        boolean present = apiPresent(WebSocketProxy.class.getClassLoader());
        sessions = present ? new JakartaSessions(registry) : null;
        if (!present)
            LOG.warn("WebSocket proxying is off: this container has no Jakarta WebSocket API;"
                + " WebSocket upgrades on routes answer 501 (for Jetty, enable the ee10-websocket-jakarta module)");
    }

    static boolean apiPresent(ClassLoader loader)
    {
        try
        {
            Class.forName(API, false, loader);
            Class.forName("jakarta.websocket.ClientEndpointConfig$Configurator", false, loader);
            return true;
        }
        catch (ClassNotFoundException | LinkageError x)
        {
            return false;
        }
    }

    /** A GET asking to switch to the WebSocket protocol ({@code Upgrade: websocket}, {@code Connection: upgrade}). */
    public static boolean isUpgradeRequest(HttpServletRequest request)
    {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && "GET".equals(request.getMethod()) && containsToken(upgrade, "websocket")
            && containsToken(request.getHeaders("Connection"), "upgrade");
    }

    /**
     * The upstream side of a session to open.
     *
     * @param uri            the upstream URL (ws:// or wss://)
     * @param headers        the request headers to send upstream (end-to-end headers and the proxy's own)
     * @param connectTimeout bounds the wait for the client leg's handshake once the upstream accepted
     */
    public record Upstream(URI uri, Map<String, List<String>> headers, String route, RouteWebSocket settings,
                           long connectTimeout, AccessRecord access)
    {
    }

    /**
     * Opens the session: upstream first, then the client. Returns null once the client's
     * connection is a WebSocket session (or the container has answered the handshake itself),
     * else why not, for the caller to send as an error before anything is committed.
     */
    public HandshakeFailure open(HttpServletRequest clientRequest, HttpServletResponse clientResponse, Upstream upstream)
    {
        if (!"13".equals(clientRequest.getHeader("Sec-WebSocket-Version")) || clientRequest.getHeader("Sec-WebSocket-Key") == null)
            return new HandshakeFailure(ErrorCode.BAD_REQUEST, 0, "A WebSocket handshake needs Sec-WebSocket-Key and Sec-WebSocket-Version: 13");
        if (sessions == null)
            return new HandshakeFailure(ErrorCode.NOT_IMPLEMENTED, 0, NOT_INSTALLED);
        return sessions.open(clientRequest, clientResponse, upstream);
    }

    /** Closes every open session with 1001 (the proxy is going away). */
    @Override
    public void close()
    {
        if (sessions != null)
            sessions.close();
    }

    private static boolean containsToken(Enumeration<String> values, String token)
    {
        while (values != null && values.hasMoreElements())
        {
            if (containsToken(values.nextElement(), token))
                return true;
        }
        return false;
    }

    static boolean containsToken(String value, String token)
    {
        for (String part : value.split(","))
        {
            if (part.trim().equalsIgnoreCase(token))
                return true;
        }
        return false;
    }
}
