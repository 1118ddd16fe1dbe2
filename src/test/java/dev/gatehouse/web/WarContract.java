package dev.gatehouse.web;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.gatehouse.support.Decoding;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import dev.gatehouse.support.ServerFirstUpstream;
import dev.gatehouse.support.WebSocketOrigin;
import dev.gatehouse.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the WAR must do in any container: a reverse route, a forward request, health, JSON errors. */
abstract class WarContract
{
    static Origin origin;
    static WebSocketOrigin websocketOrigin;
    /** An upstream whose 101 and first message leave in one write (made with the configuration). */
    static ServerFirstUpstream serverFirst;
    static int proxyPort;

    @AfterAll
    static void stopServerFirst() throws Exception
    {
        if (serverFirst != null)
            serverFirst.close();
        serverFirst = null;
    }

    static Path war()
    {
        Path war = Path.of(System.getProperty("it.war", "target/gatehouse.war"));
        assertTrue(Files.isRegularFile(war), "build the WAR first: " + war);
        return war;
    }

    static Path writeConfig(Path dir) throws Exception
    {
        Path config = dir.resolve("gatehouse-war.properties");
        serverFirst = new ServerFirstUpstream();
        Files.writeString(config, String.join("\n",
            "proxy.id=war-test",
            "ssrf.allow=loopback",
            "limits.max-body-size=1KB",
            "ratelimit.requests-per-second=1000",
            "cache.enabled=true",
            "routes=guarded,limited,api,ws,first",
            "routes.first.match.path=/first/",
            "routes.first.targets=" + serverFirst.url(),
            "routes.ws.match.path=/ws/",
            "routes.ws.strip-prefix=true",
            "routes.ws.targets=" + websocketOrigin.url(),
            "routes.guarded.match.path=/guarded/",
            "routes.guarded.acl.deny=127.0.0.1,::1",
            "routes.guarded.targets=" + origin.url(),
            "routes.limited.match.path=/limited/",
            "routes.limited.ratelimit.requests-per-second=0.001", // one token, no refill within the test
            "routes.limited.targets=" + origin.url(),
            "routes.api.match.path=/api/",
            "routes.api.strip-prefix=true",
            "routes.api.targets=" + origin.url(), ""));
        return config;
    }

    private static RawHttp.Reply send(String target, String host) throws Exception
    {
        return RawHttp.exchange(proxyPort, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void servesCacheHitsAndRevalidatesThroughTheWar() throws Exception
    {
        String host = "127.0.0.1:" + proxyPort;
        RawHttp.Reply first = send("/api/cacheable", host);
        RawHttp.Reply second = send("/api/cacheable", host);
        assertEquals(200, second.status(), second.headers() + " " + second.body());
        assertEquals("MISS", first.header("X-Cache-Status"));
        assertEquals("HIT", second.header("X-Cache-Status"));
        assertEquals(first.body(), second.body());
        // a 304 to the cache's own validators comes back through an async dispatch
        send("/api/etagged", host);
        RawHttp.Reply revalidated = send("/api/etagged", host);
        assertEquals(200, revalidated.status(), revalidated.headers() + " " + revalidated.body());
        assertEquals("REVALIDATED", revalidated.header("X-Cache-Status"));
        assertEquals("etagged body", revalidated.body());
        // the cache admin endpoint, mapped more specifically than Dropwizard's /admin/*: no admin.token here
        RawHttp.Reply stats = send("/_gatehouse/admin/cache/stats", host);
        assertEquals(403, stats.status(), stats.headers() + " " + stats.body());
        assertTrue(stats.body().contains("admin.token"), stats.body());
    }

    @Test
    void proxiesAReverseRoute() throws Exception
    {
        RawHttp.Reply reply = send("/api/items/a%2Fb?x=1", "127.0.0.1:" + proxyPort);
        assertEquals(200, reply.status(), reply.headers() + " " + reply.body());
        assertTrue(reply.body().startsWith("GET /items/a%2Fb?x=1\n"), reply.body());
        assertEquals("war-test", reply.header("X-Proxy-ID"));
        assertNotNull(reply.header("X-Request-ID"));
        assertTrue(reply.body().contains("\nvia: 1.1 war-test\n"), reply.body());
        assertTrue(reply.body().contains("\nx-forwarded-for: 127.0.0.1\n"), reply.body());
    }

    @Test
    void aProxiedResponseAndAHitCarryOneDateAndOneServer() throws Exception
    {
        // a container may put Date and Server on every response before the proxy runs (Jetty does):
        // the upstream's or the stored response's replace them
        String url = "http://127.0.0.1:" + proxyPort + "/api/cacheable-dated";
        for (String expected : List.of("MISS", "HIT"))
        {
            HttpResponse<String> r = Http.get(Http.direct(), url);
            assertEquals(200, r.statusCode(), r.headers() + " " + r.body());
            assertEquals(expected, r.headers().firstValue("X-Cache-Status").orElse(null));
            assertEquals(1, r.headers().allValues("Date").size(), r.headers().toString());
            assertTrue(r.headers().allValues("Server").size() <= 1, r.headers().toString());
        }
    }

    @Test
    void proxiesAWebSocketSession() throws Exception
    {
        try (WsClient client = WsClient.connect(
            "ws://127.0.0.1:" + proxyPort + "/ws/echo", List.of("chat")))
        {
            assertEquals("chat", client.socket.getSubprotocol());
            client.send("through the container");
            assertEquals("through the container", client.nextText());
            byte[] data = new byte[100_000];
            new Random(3).nextBytes(data);
            client.send(data);
            Assertions.assertArrayEquals(data, client.nextBinary());
            client.send("close 4003 container bye");
            assertEquals("4003 container bye", client.awaitClose());
        }
    }

    @Test
    void relaysAServerFirstUpstreamsWelcomePromptlyWithTheClientsOwnHeaders() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxyPort))
        {
            socket.setSoTimeout(15_000);
            serverFirst.answeredNanos.clear();
            serverFirst.handshakes.clear();
            socket.getOutputStream().write(("GET /first/chat HTTP/1.1\r\nHost: 127.0.0.1:" + proxyPort + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.Reply reply = RawHttp.read(in, false);
            long got101 = System.nanoTime();
            assertEquals(101, reply.status(), String.valueOf(reply.headers()));
            long ms = (got101 - serverFirst.answeredNanos.take()) / 1_000_000;
            System.out.println(getClass().getSimpleName() + " handshake delay upstream 101 -> client 101: " + ms + " ms");
            assertTrue(ms < 1000, "the client's 101 came " + ms + " ms after the upstream's");
            assertEquals(0x81, in.read(), "a text frame");
            assertEquals("welcome", new String(in.readNBytes(in.read()), StandardCharsets.UTF_8));
        }
        Map<String, String> seen = serverFirst.handshakes.take();
        for (String added : List.of("user-agent", "accept-encoding", "pragma", "cache-control"))
            assertTrue(seen.keySet().stream().noneMatch(n -> n.equalsIgnoreCase(added)), added + " added: " + seen);
    }

    @Test
    void proxiesAnAbsoluteUriRequest() throws Exception
    {
        String authority = "127.0.0.1:" + origin.port();
        RawHttp.Reply reply = send("http://" + authority + "/echo/fwd?q=2", authority);
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().startsWith("GET /echo/fwd?q=2\n"), reply.body());
        assertEquals("war-origin", reply.header("X-Origin"));
    }

    @Test
    void adminEndpointsAreNotThrottledByTheProxyRateLimit() throws Exception
    {
        RawHttp.Reply probe = send("/_gatehouse/health/liveness", "127.0.0.1:" + proxyPort);
        assertEquals(200, probe.status());
        assertEquals(null, probe.header("RateLimit-Limit"), "the proxy's rate limit does not apply to admin paths");
        assertTrue(send("/api/echo", "127.0.0.1:" + proxyPort).header("RateLimit-Limit") != null, "it does apply to proxied paths");
    }

    @Test
    void servesHealthUnderTheAdminPrefix() throws Exception
    {
        RawHttp.Reply reply = send("/_gatehouse/health/readiness", "127.0.0.1:" + proxyPort);
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().startsWith("{\"status\":\"UP\""), reply.body());
    }

    @Test
    void appliesThePolicyFiltersInTheContainer() throws Exception
    {
        String host = "127.0.0.1:" + proxyPort;
        RawHttp.Reply denied = send("/guarded/x", host);
        assertEquals(403, denied.status(), denied.body());
        assertTrue(denied.body().contains("\"code\":\"ACL_DENIED\""), denied.body());
        assertEquals("nosniff", denied.header("X-Content-Type-Options"));
        assertEquals(200, send("/limited/echo", host).status());
        RawHttp.Reply limited = send("/limited/echo", host);
        assertEquals(429, limited.status(), limited.body());
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
        RawHttp.Reply tooLarge = RawHttp.exchange(proxyPort, "POST /api/upload HTTP/1.1\r\nHost: " + host
            + "\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + "z".repeat(5000));
        assertEquals(413, tooLarge.status(), tooLarge.body());
        assertTrue(tooLarge.body().contains("PAYLOAD_TOO_LARGE"), tooLarge.body());
    }

    @Test
    void servesPrometheusMetricsUnderTheAdminPrefix() throws Exception
    {
        String host = "127.0.0.1:" + proxyPort;
        assertEquals(200, send("/api/echo", host).status());
        RawHttp.Reply metrics = send("/_gatehouse/metrics", host);
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.body().contains("gatehouse_requests_total{method=\"GET\",route=\"api\",status=\"200\"}"), metrics.body());
        assertEquals(200, send("/_gatehouse/admin/ping", host).status());
        RawHttp.Reply dashboard = send("/_gatehouse/", host);
        assertEquals(200, dashboard.status(), dashboard.body());
        assertTrue(dashboard.body().contains("<canvas"), "the dashboard page");
        RawHttp.Reply data = send("/_gatehouse/dashboard.json", host);
        assertEquals(200, data.status(), data.body());
        assertTrue(data.body().contains("\"routes\":{") && data.body().contains("\"requests\":"), data.body());
    }

    @Test
    void upstreamDyingMidResponseClosesTheConnectionWithoutCompletingTheBody() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxyPort))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/die HTTP/1.1\r\nHost: 127.0.0.1:" + proxyPort + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.Reply head = RawHttp.read(in, false);
            assertEquals(200, head.status());
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(rest.contains("partial-"), "some of the body arrived");
            assertTrue(!rest.endsWith("\r\n0\r\n\r\n"), "a truncated body must not look complete");
        }
    }

    @Test
    void passesAnUnchangedBodyWithTheUpstreamsContentLength() throws Exception
    {
        RawHttp.Reply reply = send("/api/text?n=200000", "127.0.0.1:" + proxyPort);
        assertEquals(200, reply.status());
        assertEquals("200000", reply.header("Content-Length"), reply.headers().toString());
        assertEquals(new String(Origin.text(200_000), StandardCharsets.UTF_8), reply.body());
    }

    @Test
    void compressesTextForClientsThatAcceptIt() throws Exception
    {
        HttpResponse<byte[]> r = Http.direct().send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/api/text?n=100000"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(null));
        assertTrue(r.body().length < 30_000, "compressed to " + r.body().length);
        Assertions.assertArrayEquals(Origin.text(100_000), Decoding.gunzip(r.body()));
    }

    @Test
    void answersUnroutedRequestsWithJsonNoRoute() throws Exception
    {
        RawHttp.Reply reply = send("/nothing", "127.0.0.1:" + proxyPort);
        assertEquals(404, reply.status());
        assertTrue(reply.body().contains("\"code\":\"NO_ROUTE\""), reply.body());
    }
}
