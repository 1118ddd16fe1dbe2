package dev.gatehouse.websocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.config.RouteWebSocket;
import dev.gatehouse.http.BackgroundThreads;
import dev.gatehouse.http.ErrorCode;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket sessions through the standard Jakarta WebSocket API, so they run the same embedded
 * (Jetty's implementation) and in a WAR (the container's: Jetty or Tomcat). Only loaded where the
 * API is present ({@link WebSocketProxy} checks).
 * <p>For an upgrade request on a route, the upstream handshake comes first: the container's
 * WebSocket client connects to the target with the client's subprotocols, {@code Origin},
 * cookies and the proxy headers. Only when the upstream has switched protocols is the client's
 * request upgraded ({@link ServerContainer#upgradeHttpToWebSocket}), with the subprotocol the
 * upstream chose; an upstream refusal becomes an HTTP error with the JSON body instead. Then a
 * {@link Bridge} relays frames both ways until one side closes.</p>
 * <p>Extensions are negotiated on each leg on its own: the client leg gets whatever the
 * container offers (permessage-deflate), the upstream leg none. Pings are answered by each leg's
 * endpoint; optional proxy pings keep idle paths open.</p>
 */
final class JakartaSessions implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JakartaSessions.class);
    private static final String ENDPOINT_PATH = "/gatehouse-websocket";
    /** Not copied from the upstream's handshake response to the client's. */
    private static final Set<String> NOT_RETURNED = Set.of("connection", "upgrade", "keep-alive", "transfer-encoding",
        "content-length", "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-protocol", "date", "server");

    /** Kept on the upstream handshake's request: the WebSocket handshake itself, and Host (the target's or the preserved one). */
    private static final Set<String> HANDSHAKE = Set.of("host", "connection", "upgrade", "sec-websocket-key",
        "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions");
    /** Beyond the connect timeout, how long the upstream may take to answer the handshake. */
    static final long HANDSHAKE_RESPONSE_TIMEOUT_MILLIS = 30_000;

    private final WebSocketMetrics metrics;
    /** Runs each upstream handshake; idle threads end after a minute. */
    private final ThreadPoolExecutor handshakes = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r ->
        {
            Thread t = new Thread(r, "gatehouse-websocket-handshake");
            t.setDaemon(true);
            return t;
        });
    private final Set<Bridge> open = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final AtomicReference<ScheduledExecutorService> scheduler = new AtomicReference<>();

    JakartaSessions(PrometheusRegistry registry)
    {
        this.metrics = new WebSocketMetrics(registry);
    }

    /**
     * Opens the session: upstream first, then the client. Returns null once the client's
     * connection is a WebSocket session (or the container has answered the handshake itself),
     * else why not, for the caller to send as an error before anything is committed.
     */
    HandshakeFailure open(HttpServletRequest clientRequest, HttpServletResponse clientResponse, WebSocketProxy.Upstream upstream)
    {
        ServerContainer container = container(clientRequest.getServletContext());
        if (container == null)
            return new HandshakeFailure(ErrorCode.NOT_IMPLEMENTED, 0, WebSocketProxy.NOT_INSTALLED);
        Bridge bridge = new Bridge(upstream.route(), upstream.settings(), metrics, upstream.access(), upstream.connectTimeout(),
            open::remove);
        Map<String, List<String>> upstreamResponseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> requested = subprotocols(clientRequest);
        ClientEndpointConfig clientConfig = ClientEndpointConfig.Builder.create()
            .preferredSubprotocols(requested)
            .configurator(new ClientEndpointConfig.Configurator()
            {
                /** Exactly the handshake's own headers and the ones prepared for the upstream: nothing the client library adds. */
                @Override
                public void beforeRequest(Map<String, List<String>> headers)
                {
                    for (String name : new ArrayList<>(headers.keySet()))
                    {
                        if (name != null && !HANDSHAKE.contains(name.toLowerCase(Locale.ROOT)))
                            headers.remove(name);
                    }
                    headers.putAll(upstream.headers());
                }

                @Override
                public void afterResponse(HandshakeResponse response)
                {
                    response.getHeaders().forEach((name, values) ->
                    {
                        if (name != null && !NOT_RETURNED.contains(name.toLowerCase(Locale.ROOT)))
                            upstreamResponseHeaders.put(name, values);
                    });
                }
            })
            .build();
        Session upstreamSession;
        try
        {
            upstreamSession = connectUpstream(container, bridge, clientConfig, upstream);
        }
        catch (Exception x)
        {
            HandshakeFailure failure = HandshakeFailure.of(x);
            LOG.debug("[{}] upstream websocket handshake to {} failed: {}", upstream.access().requestId(), upstream.uri(), failure, x);
            return failure;
        }
        String negotiated = upstreamSession.getNegotiatedSubprotocol();
        ServerEndpointConfig serverConfig = ServerEndpointConfig.Builder.create(Leg.class, ENDPOINT_PATH)
            .subprotocols(negotiated == null || negotiated.isEmpty() ? List.of() : List.of(negotiated))
            .configurator(new ClientLegConfigurator(bridge.clientLeg(), negotiated, upstreamResponseHeaders))
            .build();
        open.add(bridge);
        clientRequest.setAttribute(WebSocketProxy.UPGRADED_ATTRIBUTE, Boolean.TRUE);
        try
        {
            container.upgradeHttpToWebSocket(clientRequest, clientResponse, serverConfig, Map.of());
        }
        catch (Exception x)
        {
            LOG.debug("[{}] client websocket handshake failed", upstream.access().requestId(), x);
            open.remove(bridge);
            bridge.abandon(CloseCodes.reason(CloseCodes.GOING_AWAY, "Client handshake failed"));
            clientRequest.removeAttribute(WebSocketProxy.UPGRADED_ATTRIBUTE);
            return clientResponse.isCommitted() ? null
                : new HandshakeFailure(ErrorCode.BAD_REQUEST, 0, "The WebSocket handshake could not be completed");
        }
        if (clientResponse.getStatus() != HttpServletResponse.SC_SWITCHING_PROTOCOLS && clientResponse.isCommitted())
        {
            // the container refused the client's handshake itself (and answered it)
            open.remove(bridge);
            bridge.abandon(CloseCodes.reason(CloseCodes.GOING_AWAY, "Client handshake failed"));
            clientRequest.removeAttribute(WebSocketProxy.UPGRADED_ATTRIBUTE);
            return null;
        }
        bridge.startPings(pingScheduler(upstream.settings()));
        return null;
    }

    /**
     * Connects the upstream leg and returns it as soon as it is open. The container's
     * {@code connectToServer} runs on a handshake thread: it may deliver the upstream's first
     * messages (those that came with its 101) before it returns, and they must not wait for the
     * client leg that this thread is about to open. They are held by the relay meanwhile.
     */
    private Session connectUpstream(ServerContainer container, Bridge bridge, ClientEndpointConfig config, WebSocketProxy.Upstream upstream)
        throws Exception
    {
        CompletableFuture<Session> opened = bridge.upstreamOpened();
        handshakes.execute(() ->
        {
            try
            {
                container.connectToServer(bridge.upstreamLeg(), config, upstream.uri());
            }
            catch (Throwable x)
            {
                opened.completeExceptionally(x);
            }
        });
        try
        {
            return opened.get(upstream.connectTimeout() + HANDSHAKE_RESPONSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException x)
        {
            throw x.getCause() instanceof Exception e ? e : x;
        }
        catch (TimeoutException x)
        {
            opened.completeExceptionally(x);
            bridge.abandon(CloseCodes.reason(CloseCodes.GOING_AWAY, "Handshake timed out"));
            throw x;
        }
    }

    /** The shared ping scheduler, made when the first route with pings opens a session; null when the route does not ping. */
    private ScheduledExecutorService pingScheduler(RouteWebSocket settings)
    {
        if (settings.pingInterval().isZero())
            return null;
        ScheduledExecutorService s = scheduler.get();
        if (s != null)
            return s;
        ScheduledExecutorService created = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "gatehouse-websocket-ping");
            t.setDaemon(true);
            return t;
        });
        if (scheduler.compareAndSet(null, created))
            return created;
        created.shutdown();
        return scheduler.get();
    }

    /** Closes every open session with 1001 (the proxy is going away) and stops the ping scheduler. */
    @Override
    public void close()
    {
        for (Bridge b : new ArrayList<>(open))
            b.shutdown();
        open.clear();
        BackgroundThreads.stopNow(handshakes);
        ScheduledExecutorService s = scheduler.getAndSet(null);
        if (s != null)
            BackgroundThreads.stopNow(s);
    }

    /** The container's WebSocket server container, or null where WebSocket is not installed. */
    static ServerContainer container(ServletContext context)
    {
        Object c = context.getAttribute(ServerContainer.class.getName());
        return c instanceof ServerContainer sc ? sc : null;
    }

    private static List<String> subprotocols(HttpServletRequest request)
    {
        List<String> protocols = new ArrayList<>();
        Enumeration<String> values = request.getHeaders("Sec-WebSocket-Protocol");
        while (values != null && values.hasMoreElements())
        {
            for (String p : values.nextElement().split(","))
            {
                String t = p.trim();
                if (!t.isEmpty())
                    protocols.add(t);
            }
        }
        return protocols;
    }

    /** The client leg's handshake: the prepared endpoint, the upstream's subprotocol and response headers. */
    private static final class ClientLegConfigurator extends ServerEndpointConfig.Configurator
    {
        private final Leg leg;
        private final String negotiated;
        private final Map<String, List<String>> upstreamHeaders;

        ClientLegConfigurator(Leg leg, String negotiated, Map<String, List<String>> upstreamHeaders)
        {
            this.leg = leg;
            this.negotiated = negotiated;
            this.upstreamHeaders = upstreamHeaders;
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass)
        {
            return endpointClass.cast(leg);
        }

        @Override
        public String getNegotiatedSubprotocol(List<String> supported, List<String> requested)
        {
            return negotiated != null && !negotiated.isEmpty() && requested.contains(negotiated) ? negotiated : "";
        }

        /** The upstream decides which origins it accepts; it saw the client's Origin header. */
        @Override
        public boolean checkOrigin(String originHeaderValue)
        {
            return true;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response)
        {
            upstreamHeaders.forEach((name, values) -> response.getHeaders().put(name, new ArrayList<>(values)));
        }
    }
}
