package dev.gatehouse.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real upstream WebSocket server on a loopback port. {@code /echo} echoes every message
 * (whole, text and binary, up to 64 MB) and understands a few text commands:
 * {@code close <code> <reason>} closes with that code, {@code flood <n> <bytes>} sends n binary
 * messages as fast as the connection takes them. It supports the subprotocols {@code chat} and
 * {@code v2.chat}, sets a cookie on its handshake response, and records each handshake's headers
 * and each session's close. {@code /forbidden} refuses every handshake (403).
 */
public final class WebSocketOrigin implements AutoCloseable
{
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server, 1, 1);
    /** The headers of every handshake, in order. */
    public final BlockingQueue<Map<String, List<String>>> handshakes = new LinkedBlockingQueue<>();
    /** Each session's close, as "code reason". */
    public final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    public final AtomicInteger open = new AtomicInteger();
    /** The close of the session opened with {@code ?id=<id>}, by id. */
    private final Map<String, CompletableFuture<String>> closesById = new ConcurrentHashMap<>();
    /** Bytes of flood messages written so far. */
    public final AtomicLong flooded = new AtomicLong();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public WebSocketOrigin() throws Exception
    {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(context);
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
        {
            container.setDefaultMaxTextMessageBufferSize(64 << 20);
            container.setDefaultMaxBinaryMessageBufferSize(64 << 20);
            container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/echo")
                .subprotocols(List.of("chat", "v2.chat"))
                .configurator(new Recording(true)).build());
            container.addEndpoint(ServerEndpointConfig.Builder.create(Echo.class, "/forbidden")
                .configurator(new Recording(false)).build());
        });
        context.setAttribute(WebSocketOrigin.class.getName(), this);
        server.start();
    }

    /** "code reason" of the session opened with {@code ?id=<id>}, waiting up to 10 s; null if it did not close. */
    public String awaitClose(String id) throws Exception
    {
        try
        {
            return closeOf(id).get(10, TimeUnit.SECONDS);
        }
        catch (TimeoutException x)
        {
            return null;
        }
    }

    private CompletableFuture<String> closeOf(String id)
    {
        return closesById.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    public String url()
    {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }

    /** Records the handshake; {@code accept=false} refuses it (Jakarta answers 403). */
    private final class Recording extends ServerEndpointConfig.Configurator
    {
        private final boolean accept;

        Recording(boolean accept)
        {
            this.accept = accept;
        }

        @Override
        public boolean checkOrigin(String originHeaderValue)
        {
            return accept;
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response)
        {
            handshakes.add(Map.copyOf(request.getHeaders()));
            response.getHeaders().put("Set-Cookie", List.of("ws=1; Path=/"));
        }

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass)
        {
            return endpointClass.cast(new Echo(WebSocketOrigin.this));
        }
    }

    public static final class Echo extends Endpoint
    {
        private final WebSocketOrigin origin;

        public Echo(WebSocketOrigin origin)
        {
            this.origin = origin;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config)
        {
            origin.open.incrementAndGet();
            origin.sessions.put(session.getId(), session);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>)text -> onText(session, text));
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>)data ->
            {
                try
                {
                    session.getBasicRemote().sendBinary(data);
                }
                catch (IOException x)
                {
                    // the proxy went away
                }
            });
        }

        private void onText(Session session, String text)
        {
            try
            {
                if (text.startsWith("close "))
                {
                    String[] parts = text.split(" ", 3);
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(Integer.parseInt(parts[1])),
                        parts.length > 2 ? parts[2] : ""));
                }
                else if (text.startsWith("flood "))
                {
                    String[] parts = text.split(" ");
                    int n = Integer.parseInt(parts[1]);
                    int size = Integer.parseInt(parts[2]);
                    for (int i = 0; i < n; i++)
                    {
                        session.getBasicRemote().sendBinary(ByteBuffer.allocate(size));
                        origin.flooded.addAndGet(size);
                    }
                }
                else
                {
                    session.getBasicRemote().sendText(text);
                }
            }
            catch (IOException x)
            {
                // the proxy went away
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason)
        {
            origin.sessions.remove(session.getId());
            origin.open.decrementAndGet();
            String close = closeReason.getCloseCode().getCode() + " " + closeReason.getReasonPhrase();
            origin.closes.add(close);
            List<String> id = session.getRequestParameterMap().get("id");
            if (id != null && !id.isEmpty())
                origin.closeOf(id.get(0)).complete(close);
        }
    }
}
