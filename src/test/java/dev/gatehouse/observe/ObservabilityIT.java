package dev.gatehouse.observe;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.AccessLines;
import dev.gatehouse.support.EchoServer;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus series, the JSON access log, trace context and the admin pages, through the running proxy. */
class ObservabilityIT
{
    static Origin origin;
    static EchoServer echo;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("obs");
        echo = new EchoServer();
        proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "acl.deny", "192.0.2.0/24",
            "trust.proxies", "127.0.0.1", "connect.allowed-ports", Integer.toString(echo.port()));
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        echo.close();
        origin.close();
    }

    private static RawHttp.Reply get(String path, String... headers) throws Exception
    {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n");
        for (String h : headers)
            b.append(h).append("\r\n");
        return RawHttp.exchange(proxy.port(), b.append("Connection: close\r\n\r\n").toString());
    }

    private static String scrape() throws Exception
    {
        HttpResponse<String> metrics = Http.get(Http.direct(), proxy.adminUrl() + "/metrics");
        assertEquals(200, metrics.statusCode());
        return metrics.body();
    }

    @Test
    void prometheusEndpointHasLabelledSeriesWithRealBuckets() throws Exception
    {
        for (int i = 0; i < 3; i++)
            assertEquals(200, get("/echo").status());
        assertEquals(503, get("/status?code=503").status());
        assertEquals(403, get("/echo", "X-Forwarded-For: 192.0.2.9").status());
        String metrics = scrape();
        assertTrue(metrics.matches("(?s).*gatehouse_requests_total\\{method=\"GET\",route=\"app\",status=\"200\"} [3-9]\\.0.*"), metrics);
        assertTrue(metrics.contains("gatehouse_requests_total{method=\"GET\",route=\"app\",status=\"503\"}"), metrics);
        assertTrue(metrics.contains("gatehouse_request_duration_seconds_bucket{route=\"app\",le=\"0.1\"}"), metrics);
        assertTrue(metrics.contains("gatehouse_rejections_total{reason=\"acl\"} 1.0"), metrics);
        assertTrue(metrics.contains("gatehouse_upstream_requests_total{outcome=\"success\",route=\"app\",target=\"" + origin.url() + "\"}"), metrics);
        assertTrue(metrics.contains("gatehouse_upstream_breaker_state{route=\"app\",target=\"" + origin.url() + "\"} 0.0"), metrics);
        assertTrue(metrics.contains("gatehouse_sent_bytes_total"), metrics);
        assertTrue(metrics.contains("jvm_memory_heap_used"), "bridged Dropwizard metrics");
        assertFalse(metrics.contains("client_ip") || metrics.contains("/echo"), "no raw paths or client addresses as labels");
    }

    @Test
    void tunnelsAreCountedWhileOpenAndTheirBytesAfterwards() throws Exception
    {
        String authority = "127.0.0.1:" + echo.port();
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, RawHttp.read(in, false).status());
            out.write(new byte[1000]);
            out.flush();
            assertEquals(1000, in.readNBytes(1000).length);
            assertTrue(scrape().contains("gatehouse_tunnels_active 1.0"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String metrics = scrape();
        while (!metrics.contains("gatehouse_tunnels_active 0.0") && System.nanoTime() < deadline)
            metrics = scrape();
        assertTrue(metrics.contains("gatehouse_tunnels_active 0.0"), metrics);
        assertTrue(metrics.contains("gatehouse_tunnel_bytes_total{direction=\"client_to_upstream\"} 1000.0"), metrics);
        assertTrue(metrics.contains("gatehouse_tunnel_bytes_total{direction=\"upstream_to_client\"} 1000.0"), metrics);
    }

    @Test
    void accessLogIsOneJsonLinePerRequestWithNumbersAndRedaction() throws Exception
    {
        try (AccessLines access = new AccessLines())
        {
            String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            RawHttp.Reply reply = get("/echo?token=s3cret&page=2", "traceparent: " + traceparent, "tracestate: vendor=1",
                "Authorization: Bearer hunter2", "Cookie: session=abc", "User-Agent: probe/1.0");
            assertEquals(200, reply.status());
            assertEquals(traceparent, RawHttp.Reply.class.cast(reply).body().lines()
                .filter(l -> l.startsWith("traceparent: ")).findFirst().orElse("").substring("traceparent: ".length()),
                "an incoming traceparent goes upstream unchanged");
            assertTrue(reply.body().contains("tracestate: vendor=1\n"));
            String line = access.await(l -> l.contains("page=2"), Duration.ofSeconds(10));
            assertTrue(line != null, access.lines().toString());
            assertTrue(line.contains("\"status\":200"), line);
            assertTrue(line.matches("(?s).*\"duration_ms\":\\d+.*"), line);
            assertTrue(line.matches("(?s).*\"bytes_sent\":\\d+.*"), line);
            assertTrue(line.contains("\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\""), line);
            assertTrue(line.contains("\"request_id\":\"" + reply.header("X-Request-ID") + "\""), line);
            assertTrue(line.contains("\"client_ip\":\"127.0.0.1\"") && line.contains("\"route\":\"app\""), line);
            assertTrue(line.contains("\"user_agent\":\"probe/1.0\""), line);
            assertTrue(line.contains("token=[redacted]"), line);
            assertFalse(line.contains("s3cret") || line.contains("hunter2") || line.contains("session=abc"), line);
        }
    }

    @Test
    void aTraceIsStartedWhenTheClientSentNone() throws Exception
    {
        String body = get("/echo").body();
        String traceparent = Http.echoed(body, "traceparent");
        assertTrue(traceparent != null && traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), body);
        String replaced = Http.echoed(get("/echo", "traceparent: garbage", "tracestate: x=1").body(), "traceparent");
        assertTrue(replaced.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), "a malformed traceparent starts a new trace: " + replaced);
    }

    @Test
    void dropwizardAdminPagesAreServed() throws Exception
    {
        assertEquals(200, Http.get(Http.direct(), proxy.adminUrl() + "/admin").statusCode());
        assertEquals("pong", Http.get(Http.direct(), proxy.adminUrl() + "/admin/ping").body().trim());
        HttpResponse<String> health = Http.get(Http.direct(), proxy.adminUrl() + "/admin/healthcheck");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"routes\"") && health.body().contains("\"listeners\""), health.body());
        assertTrue(Http.get(Http.direct(), proxy.adminUrl() + "/admin/metrics").body().contains("\"gauges\""));
    }
}
