package dev.gatehouse.websocket;

import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.WebSocketOrigin;
import dev.gatehouse.support.WsClient;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket sessions through the real proxy to a real upstream WebSocket server, with the JDK's client. */
class WebSocketProxyIT
{
    static WebSocketOrigin upstream;
    static Origin http;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        upstream = new WebSocketOrigin();
        http = new Origin("plain");
        proxy = Gatehouse.start(
            "routes", "ws,small,idle,ping,refusing,plain,down,off",
            "routes.ws.match.path", "/ws/",
            "routes.ws.strip-prefix", "true",
            "routes.ws.targets", upstream.url(),
            "routes.small.match.path", "/small/",
            "routes.small.strip-prefix", "true",
            "routes.small.targets", upstream.url(),
            "routes.small.websocket.max-message-size", "1MB",
            "routes.idle.match.path", "/idle/",
            "routes.idle.strip-prefix", "true",
            "routes.idle.targets", upstream.url(),
            "routes.idle.websocket.idle-timeout", "300ms",
            "routes.ping.match.path", "/ping/",
            "routes.ping.strip-prefix", "true",
            "routes.ping.targets", upstream.url(),
            "routes.ping.websocket.ping-interval", "50ms",
            "routes.refusing.match.path", "/refusing/",
            "routes.refusing.strip-prefix", "true",
            "routes.refusing.targets", upstream.url(),
            "routes.plain.match.path", "/plain/",
            "routes.plain.targets", http.url(),
            "routes.down.match.path", "/down/",
            "routes.down.targets", "http://127.0.0.1:1",
            "routes.down.breaker.enabled", "false",
            "routes.off.match.path", "/off/",
            "routes.off.strip-prefix", "true",
            "routes.off.targets", http.url(),
            "routes.off.websocket.enabled", "false");
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        upstream.close();
        http.close();
    }

    private static String ws(String path)
    {
        return "ws://127.0.0.1:" + proxy.port() + path;
    }

    @Test
    void echoesTextAndBinary() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/ws/echo"), List.of()))
        {
            client.send("hello through the proxy");
            assertEquals("hello through the proxy", client.nextText());
            byte[] data = new byte[70_000];
            new Random(1).nextBytes(data);
            client.send(data);
            assertArrayEquals(data, client.nextBinary());
            client.send("héllo wörld ✓ 😀");
            assertEquals("héllo wörld ✓ 😀", client.nextText());
        }
    }

    @Test
    void passesSubprotocolOriginCookiesAndProxyHeaders() throws Exception
    {
        upstream.handshakes.clear();
        try (WsClient client = WsClient.connect(ws("/ws/echo?room=1"), List.of("v3.chat", "chat"),
            "Origin", "https://app.example", "Cookie", "session=abc", "X-Request-ID", "ws-req-1"))
        {
            assertEquals("chat", client.socket.getSubprotocol(), "the subprotocol the upstream chose reaches the client");
            Map<String, List<String>> seen = upstream.handshakes.poll(10, TimeUnit.SECONDS);
            assertNotNull(seen);
            assertEquals("https://app.example", first(seen, "Origin"));
            assertEquals("session=abc", first(seen, "Cookie"));
            assertEquals("127.0.0.1", first(seen, "X-Forwarded-For"));
            assertEquals("127.0.0.1", first(seen, "X-Real-IP"));
            assertEquals("http", first(seen, "X-Forwarded-Proto"));
            assertEquals("ws-req-1", first(seen, "X-Request-ID"));
            assertTrue(first(seen, "Via").endsWith("gh-test"), String.valueOf(seen.get("Via")));
            assertTrue(first(seen, "Sec-WebSocket-Protocol").contains("chat"));
            client.send("ok");
            assertEquals("ok", client.nextText());
        }
    }

    private static String first(Map<String, List<String>> headers, String name)
    {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
            .findFirst().orElse(null);
    }

    @Test
    void relaysFragmentedMessages() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/ws/echo"), List.of()))
        {
            client.socket.sendText("frag", false).get(10, TimeUnit.SECONDS);
            client.socket.sendText("mented ", false).get(10, TimeUnit.SECONDS);
            client.socket.sendText("message", true).get(10, TimeUnit.SECONDS);
            assertEquals("fragmented message", client.nextText());
        }
    }

    @Test
    void relaysATenMegabyteMessage() throws Exception
    {
        byte[] big = new byte[10 << 20];
        new Random(2).nextBytes(big);
        try (WsClient client = WsClient.connect(ws("/ws/echo"), List.of()))
        {
            client.send(big);
            assertArrayEquals(big, client.nextBinary());
        }
    }

    @Test
    void closesWith1009WhenAMessageExceedsTheLimit() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/small/echo?id=too-big"), List.of()))
        {
            client.send(new byte[1000]);
            assertEquals(1000, client.nextBinary().length, "a message within the limit passes");
            client.socket.sendBinary(ByteBuffer.wrap(new byte[2 << 20]), true);
            assertTrue(client.awaitClose().startsWith("1009 "), "too big: 1009");
            assertTrue(String.valueOf(upstream.awaitClose("too-big")).startsWith("1009"), "the upstream leg is closed too");
        }
    }

    @Test
    void upstreamCloseCodeAndReasonReachTheClient() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/ws/echo"), List.of()))
        {
            client.send("close 4001 see you");
            assertEquals("4001 see you", client.awaitClose());
        }
    }

    @Test
    void clientCloseCodeAndReasonReachTheUpstream() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/ws/echo?id=client-close"), List.of()))
        {
            client.send("hi");
            client.nextText();
            client.socket.sendClose(4002, "later").get(10, TimeUnit.SECONDS);
            assertEquals("4002 later", upstream.awaitClose("client-close"));
            assertTrue(client.awaitClose().startsWith("4002"), "the close handshake completes");
        }
    }

    @Test
    void clientVanishingClosesTheUpstreamSession() throws Exception
    {
        WsClient client = WsClient.connect(ws("/ws/echo?id=vanish"), List.of());
        client.send("hi");
        client.nextText();
        client.socket.abort();
        String close = upstream.awaitClose("vanish");
        assertNotNull(close, "the upstream session is closed when the client vanishes");
        assertTrue(close.startsWith("1001"), close);
    }

    @Test
    void idleSessionsAreClosed() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/idle/echo?id=idle"), List.of()))
        {
            String close = client.awaitClose();
            assertTrue(close.startsWith("1001") || close.startsWith("1000"), close);
            assertNotNull(upstream.awaitClose("idle"), "the upstream leg is closed too");
        }
    }

    @Test
    void proxyPingsKeepTheClientLegAlive() throws Exception
    {
        try (WsClient client = WsClient.connect(ws("/ping/echo"), List.of()))
        {
            ByteBuffer ping = client.pings.poll(10, TimeUnit.SECONDS);
            assertNotNull(ping, "the proxy pings");
            assertEquals("gatehouse", StandardCharsets.US_ASCII.decode(ping).toString());
            client.send("still here");
            assertEquals("still here", client.nextText());
        }
    }

    /** The HTTP answer to a handshake the proxy did not turn into a session. */
    private static HttpResponse<?> refused(String path)
    {
        ExecutionException x = assertThrows(ExecutionException.class, () -> WsClient.connect(ws(path), List.of()));
        return assertInstanceOf(WebSocketHandshakeException.class, x.getCause()).getResponse();
    }

    @Test
    void upstreamRefusalIsAForbiddenWithTheJsonBody()
    {
        HttpResponse<?> response = refused("/refusing/forbidden");
        assertEquals(403, response.statusCode());
        assertTrue(String.valueOf(response.body()).contains("\"code\":\"FORBIDDEN\""), String.valueOf(response.body()));
    }

    @Test
    void anUpstreamThatDoesNotSpeakWebSocketIsABadGateway()
    {
        HttpResponse<?> response = refused("/plain/echo");
        assertEquals(502, response.statusCode());
        assertTrue(String.valueOf(response.body()).contains("\"code\":\"UPSTREAM_UNAVAILABLE\""));
    }

    @Test
    void anUnreachableUpstreamIsABadGateway()
    {
        HttpResponse<?> response = refused("/down/echo");
        assertEquals(502, response.statusCode());
        assertTrue(String.valueOf(response.body()).contains("\"code\":\"UPSTREAM_UNAVAILABLE\""));
    }

    @Test
    void aRouteWithWebSocketDisabledProxiesThePlainRequest()
    {
        assertEquals(200, refused("/off/echo").statusCode(), "the origin answered the plain GET");
    }

    @Test
    void aSlowReaderSlowsTheUpstreamDown() throws Exception
    {
        int messages = 400;
        int size = 1 << 20;
        long total = (long)messages * size;
        upstream.flooded.set(0);
        try (WsClient client = WsClient.connect(ws("/ws/echo"), List.of(), false))
        {
            client.send("flood " + messages + " " + size);
            // the client reads nothing: the upstream's writes must stall far short of the total
            long last = -1;
            long stableSince = System.nanoTime();
            while (System.nanoTime() - stableSince < TimeUnit.MILLISECONDS.toNanos(500))
            {
                long now = upstream.flooded.get();
                if (now != last)
                {
                    last = now;
                    stableSince = System.nanoTime();
                }
                Poll.pause();
            }
            assertTrue(last < total / 2, "the upstream stalled after " + last + " of " + total + " bytes");
            client.read(Long.MAX_VALUE);
            for (int i = 0; i < messages; i++)
                assertEquals(size, client.nextBinary().length);
            assertEquals(total, upstream.flooded.get());
        }
    }

    @Test
    void hundredConcurrentSessions() throws Exception
    {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try
        {
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 100; i++)
                clients.add(WsClient.connect(ws("/ws/echo"), List.of()));
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++)
            {
                WsClient c = clients.get(i);
                String text = "session " + i;
                done.add(pool.submit(() ->
                {
                    for (int m = 0; m < 10; m++)
                    {
                        c.send(text + " #" + m);
                        assertEquals(text + " #" + m, c.nextText());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done)
                f.get(60, TimeUnit.SECONDS);
            assertTrue(scrape().contains("gatehouse_websocket_sessions{route=\"ws\"} 100.0"), "100 sessions open");
            for (WsClient c : clients)
                c.socket.sendClose(1000, "bye");
            for (WsClient c : clients)
                assertTrue(c.awaitClose().startsWith("1000"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String metrics = scrape();
            while (!metrics.contains("gatehouse_websocket_sessions{route=\"ws\"} 0.0") && System.nanoTime() < deadline)
                metrics = scrape();
            assertTrue(metrics.contains("gatehouse_websocket_sessions{route=\"ws\"} 0.0"), metrics);
            assertTrue(metrics.contains("gatehouse_websocket_closes_total{code=\"1000\",initiator=\"client\",route=\"ws\"}"), metrics);
            assertTrue(metrics.matches("(?s).*gatehouse_websocket_messages_total\\{direction=\"client_to_upstream\",route=\"ws\"} \\d+.*"), metrics);
            assertTrue(metrics.matches("(?s).*gatehouse_websocket_bytes_total\\{direction=\"upstream_to_client\",route=\"ws\"} \\d+.*"), metrics);
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private static String scrape() throws Exception
    {
        return Http.get(Http.direct(), proxy.adminUrl() + "/metrics").body();
    }

    @Test
    void accessLogHasOneLineAtCloseWithDurationAndBytes() throws Exception
    {
        Logger logger = (Logger)LoggerFactory.getLogger("gatehouse.access");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        Level previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(logger.getLoggerContext());
        encoder.start();
        try (WsClient client = WsClient.connect(ws("/ws/echo?logged=1&token=s3cret"), List.of()))
        {
            client.send("12345");
            client.nextText();
            synchronized (captured)
            {
                assertFalse(captured.list.stream().anyMatch(e -> e.getFormattedMessage().contains("logged=1")),
                    "no line while the session is open");
            }
            client.socket.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
            client.awaitClose();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> lines = List.of();
            while (lines.isEmpty() && System.nanoTime() < deadline)
            {
                synchronized (captured)
                {
                    lines = captured.list.stream().map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8))
                        .filter(l -> l.contains("logged=1")).collect(Collectors.toList());
                }
            }
            assertEquals(1, lines.size(), String.valueOf(lines));
            String line = lines.get(0);
            assertTrue(line.contains("\"status\":101") && line.contains("\"websocket\":true"), line);
            assertTrue(line.contains("\"close_code\":1000") && line.contains("\"close_initiator\":\"client\""), line);
            assertTrue(line.contains("\"bytes_sent\":5") && line.contains("\"bytes_received\":5"), line);
            assertTrue(line.contains("\"messages_sent\":1") && line.contains("\"messages_received\":1"), line);
            assertTrue(line.matches("(?s).*\"duration_ms\":\\d+.*") && line.contains("\"route\":\"ws\""), line);
            assertTrue(line.contains("token=[redacted]") && !line.contains("s3cret"), line);
        }
        finally
        {
            logger.setLevel(previous);
            logger.detachAppender(captured);
        }
    }

    @Test
    void plainRequestsOnTheSameRouteStillWork() throws Exception
    {
        assertEquals(404, Http.get(Http.direct(), proxy.url() + "/ws/nothing-here").statusCode(),
            "a plain GET on a WebSocket route goes to the upstream as usual");
    }
}
