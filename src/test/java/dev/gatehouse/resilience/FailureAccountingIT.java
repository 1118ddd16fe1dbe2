package dev.gatehouse.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.AccessLines;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.RawH2;
import dev.gatehouse.support.RawHttp;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whose failure it is: only failures the upstream caused reach its breaker and failure counts;
 * a route whose every target is ejected still serves (panic mode); a target that passes its health
 * checks rejoins; a body cut off after the response started is logged and counted.
 */
class FailureAccountingIT
{
    /** A sensitive breaker: four calls judge it, half of them failing opens it for a minute. */
    private static final String[] TOUCHY = {"routes", "app", "routes.app.breaker.sliding-window", "4",
        "routes.app.breaker.minimum-calls", "4", "routes.app.breaker.wait-in-open", "60s"};

    private static String[] with(String[] base, String... more)
    {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static String adminMetrics(Gatehouse proxy) throws Exception
    {
        return Http.get(Http.direct(), proxy.adminUrl() + "/admin/metrics").body();
    }

    private static void assertBreaker(Gatehouse proxy, Origin origin, int state, int failures) throws Exception
    {
        String metrics = adminMetrics(proxy);
        String target = "gatehouse.upstream.app." + origin.url();
        assertTrue(metrics.contains("\"" + target + ".breaker-state\":{\"value\":" + state + "}"), metrics);
        assertTrue(metrics.contains("\"" + target + ".calls.failure\":{\"count\":" + failures + "}"), metrics);
    }

    private static RawHttp.Reply get(Gatehouse proxy, String path) throws IOException
    {
        return RawHttp.exchange(proxy.port(), "GET " + path + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
    }

    @Test
    void oversizeUploadsNeverOpenTheBreaker() throws Exception
    {
        try (Origin origin = new Origin("o");
             Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url(), "limits.max-body-size", "1KB")))
        {
            String chunk = "x".repeat(4096);
            for (int i = 0; i < 50; i++)
            {
                // chunked, so only the streaming body limit can stop it: the exchange has started
                RawHttp.Reply r = RawHttp.exchange(proxy.port(), "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
                assertEquals(413, r.status(), r.body());
            }
            assertBreaker(proxy, origin, 0, 0);
            assertEquals(200, get(proxy, "/echo").status());
        }
    }

    @Test
    void abortedUploadsNeverOpenTheBreaker() throws Exception
    {
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url())))
        {
            for (int i = 0; i < 50; i++)
            {
                try (Socket s = new Socket("127.0.0.1", proxy.port()))
                {
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100000\r\n\r\n" + "y".repeat(2000))
                        .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    // the exchange is under way once the origin has the request; then the client hangs up
                    awaitRequests(origin, i + 1);
                }
            }
            assertEquals(200, get(proxy, "/echo").status());
            assertBreaker(proxy, origin, 0, 0);
        }
    }

    @Test
    void slowUploadsNeverOpenTheBreaker() throws Exception
    {
        // the route's upstream side times out first: it was waiting for a body the client did not send
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url(),
            "routes.app.timeouts.idle", "300ms")))
        {
            List<Socket> slow = new ArrayList<>();
            try
            {
                for (int i = 0; i < 6; i++)
                {
                    Socket s = new Socket("127.0.0.1", proxy.port());
                    slow.add(s);
                    s.getOutputStream().write("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1000\r\n\r\nzz".getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                }
                for (Socket s : slow)
                {
                    s.setSoTimeout(10_000);
                    RawHttp.Reply r = RawHttp.read(s.getInputStream(), true);
                    assertEquals(408, r.status(), r.body());
                    assertTrue(r.body().contains("\"code\":\"REQUEST_TIMEOUT\""), r.body());
                }
            }
            finally
            {
                for (Socket s : slow)
                    s.close();
            }
            assertBreaker(proxy, origin, 0, 0);
            assertEquals(200, get(proxy, "/echo").status());
        }
    }

    private static void awaitRequests(Origin origin, int n) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (origin.requests() < n && System.nanoTime() < deadline)
            Poll.pause();
        assertTrue(origin.requests() >= n, "the origin never received request " + n);
    }

    @Test
    void serverErrorsOnSomePathsDoNotEjectATargetByDefault() throws Exception
    {
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url())))
        {
            for (int i = 0; i < 20; i++)
                assertEquals(500, get(proxy, "/status?code=500").status());
            assertBreaker(proxy, origin, 0, 0);
            assertEquals(200, get(proxy, "/echo").status());
        }
    }

    @Test
    void aRouteWhoseEveryTargetIsEjectedStillServesInPanicMode() throws Exception
    {
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url())))
        {
            for (int i = 0; i < 4; i++)
                assertEquals(503, get(proxy, "/status?code=503").status());
            assertBreaker(proxy, origin, 2, 4);
            int before = origin.requests();
            for (int i = 0; i < 5; i++)
            {
                RawHttp.Reply r = get(proxy, "/echo");
                assertEquals(200, r.status(), "the only target is ejected, yet requests still reach it: " + r.body());
                assertEquals("o", r.header("X-Origin"));
            }
            assertEquals(before + 5, origin.requests());
            assertTrue(adminMetrics(proxy).contains("\"gatehouse.upstream.app.panic\":{\"count\":5}"), adminMetrics(proxy));
            String prometheus = Http.get(Http.direct(), proxy.adminUrl() + "/metrics").body();
            assertTrue(prometheus.contains("gatehouse_upstream_requests_total{outcome=\"panic\",route=\"app\",target=\"" + origin.url() + "\"} 5.0"),
                prometheus);
        }
    }

    @Test
    void withoutPanicModeAnEjectedRouteAnswersCircuitOpen() throws Exception
    {
        try (Origin origin = new Origin("o");
             Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url(), "routes.app.panic", "false")))
        {
            for (int i = 0; i < 4; i++)
                assertEquals(503, get(proxy, "/status?code=503").status());
            RawHttp.Reply r = get(proxy, "/echo");
            assertEquals(503, r.status());
            assertTrue(r.body().contains("\"code\":\"CIRCUIT_OPEN\""), r.body());
        }
    }

    @Test
    void aTargetPassingItsHealthChecksRejoinsBeforeTheBreakerWaitIsOver() throws Exception
    {
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start(with(TOUCHY, "routes.app.targets", origin.url(),
            "routes.app.panic", "false", "routes.app.health.path", "/echo", "routes.app.health.interval", "100ms",
            "routes.app.health.healthy-threshold", "2")))
        {
            for (int i = 0; i < 4; i++)
                assertEquals(503, get(proxy, "/status?code=503").status());
            long opened = System.nanoTime();
            // the breaker would refuse for 60 s; passing health checks bring the target back within about 2 x 100 ms
            long deadline = opened + TimeUnit.SECONDS.toNanos(10);
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline)
                status = get(proxy, "/echo").status();
            assertEquals(200, status, "the target rejoined after passing its health checks");
            assertTrue(System.nanoTime() - opened < TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void aBodyCutOffAfterTheResponseStartedIsLoggedAndCountedAgainstTheUpstream() throws Exception
    {
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url());
             AccessLines access = new AccessLines())
        {
            try (Socket s = new Socket("127.0.0.1", proxy.port()))
            {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /die?v=h1&after=h1 HTTP/1.1\r\nHost: app.test\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                InputStream in = s.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
                assertEquals("HTTP/1.1 200", head, "the response had started");
                origin.release("h1");
                byte[] rest = in.readAllBytes();
                assertFalse(new String(rest, StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n"),
                    "a truncated body must not end like a complete chunked one");
            }
            String line = access.await(l -> l.contains("/die?v=h1"), Duration.ofSeconds(10));
            assertNotNull(line, "no access-log line for the truncated exchange: " + access.lines());
            assertTrue(line.contains("\"status\":200"), line);
            assertTrue(line.matches("(?s).*\"upstream_error\":\"(closed|reset|other)\".*"), line);
            assertTrue(line.matches("(?s).*\"bytes_sent\":[1-9]\\d*.*"), line);
            assertBreaker(proxy, origin, 0, 1);

            // the same over HTTP/2
            try (RawH2 h2 = new RawH2(proxy.port()))
            {
                h2.send(new SettingsFrame(Map.of(), false));
                h2.send(RawH2.request(1, "GET", "127.0.0.1", proxy.port(), "/die?v=h2&after=h2", HttpFields.EMPTY, true));
                assertNotNull(h2.await(f -> f instanceof HeadersFrame h && h.getStreamId() == 1, Duration.ofSeconds(10)));
                origin.release("h2");
                var end = h2.await(f -> f instanceof ResetFrame || f instanceof GoAwayFrame || f == RawH2.CLOSED
                    || (f instanceof DataFrame d && d.isEndStream()), Duration.ofSeconds(10));
                assertNotNull(end);
                assertFalse(end instanceof DataFrame, "a truncated h2 body must end with a reset, not END_STREAM");
            }
            String h2Line = access.await(l -> l.contains("/die?v=h2"), Duration.ofSeconds(10));
            assertNotNull(h2Line, access.lines().toString());
            assertTrue(h2Line.contains("\"upstream_error\":"), h2Line);
            assertFalse(h2Line.contains("\"upstream_error\":\"-\""), h2Line);
            assertBreaker(proxy, origin, 0, 2);
            String prometheus = Http.get(Http.direct(), proxy.adminUrl() + "/metrics").body();
            assertTrue(prometheus.matches("(?s).*gatehouse_upstream_errors_total\\{kind=\"[a-z]+\",route=\"app\"} 2\\.0.*"), prometheus);
        }
    }

    @Test
    void aBodyCutOffByAnHttp2UpstreamIsLoggedAndCountedToo() throws Exception
    {
        try (Origin origin = new Origin("o"); Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(),
            "routes.app.protocol", "h2c"); AccessLines access = new AccessLines())
        {
            try (Socket s = new Socket("127.0.0.1", proxy.port()))
            {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /die?v=up-h2&after=up HTTP/1.1\r\nHost: app.test\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                InputStream in = s.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
                origin.release("up");
                String received = head + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(received.startsWith("HTTP/1.1 200"), received.substring(0, Math.min(200, received.length())));
                assertTrue(received.toLowerCase(Locale.ROOT).contains("x-origin-protocol: http/2.0"), "the upstream leg spoke HTTP/2");
                assertFalse(received.endsWith("0\r\n\r\n"), "a truncated body must not end like a complete chunked one");
            }
            String line = access.await(l -> l.contains("/die?v=up-h2"), Duration.ofSeconds(10));
            assertNotNull(line, access.lines().toString());
            assertTrue(line.contains("\"status\":200") && !line.contains("\"upstream_error\":\"-\""), line);
            assertBreaker(proxy, origin, 0, 1);
        }
    }
}
