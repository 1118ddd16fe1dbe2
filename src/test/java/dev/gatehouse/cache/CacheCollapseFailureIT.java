package dev.gatehouse.cache;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.CacheOrigin.Reply;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collapsed misses never wait on someone else's failure: when the leader's exchange fails, is
 * refused or is abandoned, every waiter goes upstream itself at once, and never later than
 * {@code cache.collapse-timeout}; a graceful stop is not held up by waiters.
 */
class CacheCollapseFailureIT
{
    static final HttpClient CLIENT = Http.direct();
    /** Far longer than any answer below may take: a waiter released by the timeout fails the test. */
    static final String LONG_COLLAPSE = "30s";

    static List<CompletableFuture<HttpResponse<String>>> send(Gatehouse proxy, String path, int n)
    {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++)
            all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url() + path)).build(), HttpResponse.BodyHandlers.ofString()));
        return all;
    }

    /** Blocks the origin's first request until {@code waiters} misses wait behind it (at most 10 s). */
    static void awaitCollapsed(ResponseCache cache, int waiters)
    {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.collapsed.getCount() < waiters && System.nanoTime() < end)
            Poll.pause();
    }

    @Test
    void waitersGoUpstreamAtOnceWhenTheLeaderConnectionIsDropped() throws Exception
    {
        AtomicInteger calls = new AtomicInteger();
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "cache.collapse-timeout", LONG_COLLAPSE,
                 "routes", "app", "routes.app.targets", origin.url(), "routes.app.retry.max-attempts", "1"))
        {
            ResponseCache cache = proxy.server().application().cache();
            origin.on("/drop", h ->
            {
                if (calls.incrementAndGet() == 1)
                {
                    awaitCollapsed(cache, 4);
                    return CacheOrigin.DROP;
                }
                return Reply.of(200, "after the failure", "Cache-Control", "max-age=60");
            });
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> all = send(proxy, "/drop", 5);
            int ok = 0;
            int failed = 0;
            for (CompletableFuture<HttpResponse<String>> f : all)
            {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                if (r.statusCode() == 200)
                    ok++;
                else
                {
                    assertEquals(502, r.statusCode(), r.body());
                    failed++;
                }
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("waiters behind a dropped leader answered after " + millis + " ms");
            assertEquals(1, failed, "only the leader sees its own failure");
            assertEquals(4, ok);
            assertTrue(millis < 5000, "waiters were released by the leader's failure, not a timeout: " + millis + " ms");
        }
    }

    @Test
    void waitersAreAnsweredAtOnceWhenTheLeaderFailureOpensTheBreaker() throws Exception
    {
        AtomicInteger calls = new AtomicInteger();
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "cache.collapse-timeout", LONG_COLLAPSE,
                 "routes", "app", "routes.app.targets", origin.url(), "routes.app.retry.max-attempts", "1",
                 "routes.app.breaker.minimum-calls", "1", "routes.app.breaker.sliding-window", "1",
                 // without panic mode, so that the open breaker refuses the waiters instead of sending them on
                 "routes.app.panic", "false"))
        {
            ResponseCache cache = proxy.server().application().cache();
            origin.on("/refused", h ->
            {
                calls.incrementAndGet();
                awaitCollapsed(cache, 4);
                return CacheOrigin.DROP;
            });
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> all = send(proxy, "/refused", 5);
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> f : all)
            {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertTrue(r.statusCode() == 502 || r.statusCode() == 503, r.statusCode() + " " + r.body());
                assertTrue(r.body().startsWith("{\"error\":"), r.body());
                if (r.body().contains("CIRCUIT_OPEN"))
                    refused++;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("waiters behind a leader whose failure opened the breaker answered after " + millis + " ms");
            assertEquals(1, calls.get(), "the open breaker refused every waiter");
            assertEquals(4, refused);
            assertTrue(millis < 5000, millis + " ms");
        }
    }

    @Test
    void waitersBehindAnAbandonedLeaderGoUpstreamWithinTheCollapseTimeout() throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "cache.collapse-timeout", "1s",
                 "routes", "app", "routes.app.targets", origin.url()))
        {
            ResponseCache cache = proxy.server().application().cache();
            origin.on("/abandoned", h ->
            {
                if (calls.incrementAndGet() == 1)
                    awaitQuietly(release);
                return Reply.of(200, "answer " + calls.get(), "Cache-Control", "max-age=60");
            });
            // the leader's client sends its request and hangs up while the origin holds it
            try (Socket leader = new Socket("127.0.0.1", proxy.port()))
            {
                leader.getOutputStream().write("GET /abandoned HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                leader.getOutputStream().flush();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (calls.get() == 0 && System.nanoTime() < end)
                    Poll.pause();
            }
            long start = System.nanoTime();
            for (CompletableFuture<HttpResponse<String>> f : send(proxy, "/abandoned", 4))
                assertEquals(200, f.get(10, TimeUnit.SECONDS).statusCode());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("waiters behind an abandoned leader answered after " + millis + " ms (collapse-timeout 1s)");
            assertTrue(millis < 3000, millis + " ms");
            release.countDown();
        }
        finally
        {
            release.countDown();
        }
    }

    @Test
    void stopIsNotHeldUpByWaiters() throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (CacheOrigin origin = new CacheOrigin())
        {
            Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "cache.collapse-timeout", LONG_COLLAPSE,
                "shutdown.grace", "20s", "routes", "app", "routes.app.targets", origin.url());
            ResponseCache cache = proxy.server().application().cache();
            origin.on("/slow", h ->
            {
                if (calls.incrementAndGet() == 1)
                    awaitQuietly(release);
                return Reply.of(200, "answer", "Cache-Control", "max-age=60");
            });
            CompletableFuture<HttpResponse<String>> leader = send(proxy, "/slow", 1).get(0);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (calls.get() == 0 && System.nanoTime() < end)
                Poll.pause();
            List<CompletableFuture<HttpResponse<String>>> waiters = send(proxy, "/slow", 4);
            while (cache.collapsed.getCount() < 4 && System.nanoTime() < end)
                Poll.pause();
            long start = System.nanoTime();
            CompletableFuture<Void> stop = proxy.stopAsync();
            // the waiters are let go at once and answered by their own upstream requests
            for (CompletableFuture<HttpResponse<String>> f : waiters)
                assertEquals(200, f.get(10, TimeUnit.SECONDS).statusCode());
            release.countDown();
            assertEquals(200, leader.get(10, TimeUnit.SECONDS).statusCode());
            stop.get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("stop with 4 waiters pending took " + millis + " ms");
            assertTrue(millis < 5000, millis + " ms");
        }
        finally
        {
            release.countDown();
        }
    }

    static void awaitQuietly(CountDownLatch latch)
    {
        try
        {
            latch.await(20, TimeUnit.SECONDS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }
}
