package dev.gatehouse.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several real origins behind one route: losing, slowing and saturating them. */
class ResilienceIT
{
    private static RawHttp.Reply get(Gatehouse proxy, String path) throws IOException
    {
        return RawHttp.exchange(proxy.port(), "GET " + path + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
    }

    private static void assertError(RawHttp.Reply reply, int status, String code)
    {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"code\":\"" + code + "\""), reply.body());
    }

    @Test
    void killedTargetCostsNoClientErrorsAndRejoinsAfterPassingHealthChecks() throws Exception
    {
        Origin a = new Origin("a");
        Origin b = new Origin("b");
        Origin c = new Origin("c");
        int bPort = b.port();
        try (Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", a.url() + "," + b.url() + "," + c.url(),
            "routes.app.health.path", "/echo", "routes.app.health.interval", "50ms", "routes.app.health.timeout", "500ms",
            "routes.app.health.unhealthy-threshold", "2", "routes.app.health.healthy-threshold", "2"))
        {
            for (int i = 0; i < 30; i++)
                assertEquals(200, get(proxy, "/echo").status());
            assertTrue(b.requests() > 0);
            b.close();
            Map<String, Integer> served = new HashMap<>();
            for (int i = 0; i < 60; i++)
            {
                RawHttp.Reply reply = get(proxy, "/echo");
                assertEquals(200, reply.status(), "request " + i + " after the kill: " + reply.body());
                served.merge(reply.header("X-Origin"), 1, Integer::sum);
            }
            assertTrue(!served.containsKey("b"), served.toString());

            Origin back = new Origin("b2", bPort);
            try
            {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                boolean rejoined = false;
                while (!rejoined && System.nanoTime() < deadline)
                {
                    RawHttp.Reply reply = get(proxy, "/echo");
                    assertEquals(200, reply.status());
                    rejoined = "b2".equals(reply.header("X-Origin"));
                }
                assertTrue(rejoined, "the restarted target receives traffic again after passing its health checks");
            }
            finally
            {
                back.close();
            }
        }
        finally
        {
            a.close();
            c.close();
        }
    }

    @Test
    void everyBreakerOpenAnswers503CircuitOpenWithoutTouchingTheUpstream() throws Exception
    {
        try (Origin failing = new Origin("failing");
             Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", failing.url(), "routes.app.panic", "false",
                 "routes.app.breaker.sliding-window", "4", "routes.app.breaker.minimum-calls", "4", "routes.app.breaker.wait-in-open", "30s"))
        {
            for (int i = 0; i < 4; i++)
                assertEquals(503, get(proxy, "/status?code=503").status(), "the upstream's own 503 passes through");
            int seen = failing.requests();
            RawHttp.Reply open = get(proxy, "/status?code=503");
            assertError(open, 503, "CIRCUIT_OPEN");
            assertEquals("30", open.header("Retry-After"));
            assertEquals(seen, failing.requests(), "an open breaker answers without calling the upstream");
            String metrics = Http.get(Http.direct(), proxy.adminUrl() + "/admin/metrics").body();
            String target = "gatehouse.upstream.app." + failing.url();
            assertTrue(metrics.contains("\"" + target + ".breaker-state\":{\"value\":2}"), metrics);
            assertTrue(metrics.contains("\"" + target + ".calls.failure\":{\"count\":4}"), metrics);
            assertTrue(metrics.contains("\"gatehouse.upstream.app.refused\":{\"count\":1}"), metrics);
        }
    }

    @Test
    void slowCallsTripTheBreaker() throws Exception
    {
        try (Origin slow = new Origin("slow");
             Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", slow.url(), "routes.app.panic", "false",
                 "routes.app.breaker.slow-call-threshold", "100ms", "routes.app.breaker.sliding-window", "3",
                 "routes.app.breaker.minimum-calls", "3"))
        {
            for (int i = 0; i < 3; i++)
                assertEquals(200, get(proxy, "/slow?ms=250").status());
            assertError(get(proxy, "/slow?ms=250"), 503, "CIRCUIT_OPEN");
        }
    }

    /** Accepts connections and closes them at once: "reset before response", the retryable failure. */
    static final class Flapper implements AutoCloseable
    {
        final ServerSocket socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();

        Flapper() throws IOException
        {
            Thread t = new Thread(() ->
            {
                while (!socket.isClosed())
                {
                    try (Socket s = socket.accept())
                    {
                        connections.incrementAndGet();
                        s.getInputStream().read(new byte[1024]);
                    }
                    catch (IOException x)
                    {
                        // closed
                    }
                }
            }, "flapper");
            t.setDaemon(true);
            t.start();
        }

        String url()
        {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    @Test
    void retriesGoToAnotherTargetButTheBudgetStopsARetryStorm() throws Exception
    {
        try (Flapper one = new Flapper(); Flapper two = new Flapper();
             Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", one.url() + "," + two.url(),
                 "routes.app.breaker.enabled", "false", "routes.app.retry.max-attempts", "2", "routes.app.retry.budget", "20",
                 "routes.app.retry.backoff", "0ms"))
        {
            int requests = 100;
            for (int i = 0; i < requests; i++)
                assertEquals(502, get(proxy, "/x").status());
            int attempts = one.connections.get() + two.connections.get();
            // without a budget every request would be tried twice (200 connections); with it,
            // retries stay near 20% of requests (plus the per-second floor)
            assertTrue(attempts >= requests && attempts <= requests * 135 / 100, "attempts: " + attempts);
        }
    }

    @Test
    void aRetryOnAnotherTargetHidesAResetFromTheClient() throws Exception
    {
        try (Flapper broken = new Flapper(); Origin good = new Origin("good");
             Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", broken.url() + "," + good.url(),
                 "routes.app.breaker.enabled", "false", "routes.app.retry.backoff", "0ms", "routes.app.retry.budget", "100"))
        {
            for (int i = 0; i < 10; i++)
                assertEquals(200, get(proxy, "/echo").status());
            assertTrue(broken.connections.get() > 0, "round-robin did send some to the broken target");
            RawHttp.Reply post = RawHttp.exchange(proxy.port(), "POST /echo HTTP/1.1\r\nHost: app.test\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nhi");
            RawHttp.Reply post2 = RawHttp.exchange(proxy.port(), "POST /echo HTTP/1.1\r\nHost: app.test\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nhi");
            assertTrue(post.status() == 502 || post2.status() == 502, "a POST with a body is never retried");
        }
    }

    @Test
    void bulkheadKeepsAnotherRouteResponsiveWhileOneIsSaturated() throws Exception
    {
        try (Origin slow = new Origin("slow"); Origin fast = new Origin("fast");
             Gatehouse proxy = Gatehouse.start("routes", "slow,fast", "routes.slow.match.path", "/trickle",
                 "routes.slow.targets", slow.url(), "routes.slow.max-concurrent", "2", "routes.fast.targets", fast.url()))
        {
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                String id = "held" + i;
                held.add(CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        return Http.get(Http.direct(), proxy.url() + "/trickle?id=" + id);
                    }
                    catch (Exception x)
                    {
                        throw new RuntimeException(x);
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (slow.requests() < 2 && System.nanoTime() < deadline)
                Poll.pause();
            assertEquals(2, slow.requests());
            assertError(get(proxy, "/trickle?id=third"), 503, "UPSTREAM_SATURATED");
            assertEquals(200, get(proxy, "/echo").status(), "the other route is unaffected");
            slow.release("held0");
            slow.release("held1");
            for (CompletableFuture<HttpResponse<String>> f : held)
                assertEquals(200, f.get(10, TimeUnit.SECONDS).statusCode());
            slow.release("after");
            assertEquals(200, get(proxy, "/trickle?id=after").status(), "permits are returned");
        }
    }

    @Test
    void weightedBalancerFollowsTheWeights() throws Exception
    {
        try (Origin heavy = new Origin("heavy"); Origin light = new Origin("light");
             Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.balancer", "weighted",
                 "routes.app.targets", heavy.url() + ";weight=3," + light.url()))
        {
            Map<String, Integer> served = new HashMap<>();
            for (int i = 0; i < 40; i++)
                served.merge(get(proxy, "/echo").header("X-Origin"), 1, Integer::sum);
            assertEquals(Map.of("heavy", 30, "light", 10), served);
        }
    }

    @Test
    void readinessReportsRoutesAndFailsWhenARequiredRouteHasNoHealthyTarget() throws Exception
    {
        int dead;
        try (ServerSocket s = new ServerSocket(0))
        {
            dead = s.getLocalPort();
        }
        try (Origin ok = new Origin("ok");
             Gatehouse proxy = Gatehouse.start("routes", "must,may", "routes.must.match.path", "/must/",
                 "routes.must.required", "true", "routes.must.panic", "false", "routes.must.targets", "http://127.0.0.1:" + dead,
                 "routes.must.health.path", "/", "routes.must.health.interval", "50ms", "routes.must.health.unhealthy-threshold", "1",
                 "routes.may.targets", ok.url()))
        {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            HttpResponse<String> readiness = Http.get(Http.direct(), proxy.adminUrl() + "/health/readiness");
            while (readiness.statusCode() == 200 && System.nanoTime() < deadline)
                readiness = Http.get(Http.direct(), proxy.adminUrl() + "/health/readiness");
            assertEquals(503, readiness.statusCode(), readiness.body());
            assertTrue(readiness.body().contains("\"must\":{\"healthy\":0,\"total\":1,\"required\":true}"), readiness.body());
            assertTrue(readiness.body().contains("\"may\":{\"healthy\":1,\"total\":1"), readiness.body());
            assertError(get(proxy, "/must/x"), 503, "NO_HEALTHY_UPSTREAM");
        }
    }

    @Test
    void routeRequestTimeoutBoundsTheWholeExchangeOnlyWhereSet() throws Exception
    {
        try (Origin slow = new Origin("slow");
             Gatehouse proxy = Gatehouse.start("routes", "strict,relaxed", "routes.strict.match.path", "/strict/",
                 "routes.strict.timeouts.request", "200ms", "routes.strict.strip-prefix", "true", "routes.strict.targets", slow.url(),
                 "routes.relaxed.targets", slow.url()))
        {
            assertError(get(proxy, "/strict/slow?ms=1500"), 504, "UPSTREAM_TIMEOUT");
            assertEquals(200, get(proxy, "/slow?ms=500").status());
        }
    }
}
