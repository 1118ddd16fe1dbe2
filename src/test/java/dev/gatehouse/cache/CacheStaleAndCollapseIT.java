package dev.gatehouse.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.CacheOrigin.Reply;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Poll;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.CacheBasicsIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request collapsing, stale-while-revalidate, stale-if-error and the object size limit. */
class CacheStaleAndCollapseIT
{
    static final HttpClient CLIENT = Http.direct();

    static HttpResponse<String> get(Gatehouse proxy, String path, String... headers) throws Exception
    {
        return Http.get(CLIENT, proxy.url() + path, headers);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException
    {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > end)
                throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void hundredConcurrentMissesSendOneRequestUpstream() throws Exception
    {
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url()))
        {
            ResponseCache cache = proxy.server().application().cache();
            origin.on("/cold", h ->
            {
                // answer only once the other 99 wait behind this one (or give up after 10 s)
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (cache.collapsed.getCount() < 99 && System.nanoTime() < end)
                    Poll.pause();
                return Reply.of(200, "cold body", "Cache-Control", "max-age=60");
            });
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++)
                all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url() + "/cold")).build(), HttpResponse.BodyHandlers.ofString()));
            int hits = 0;
            for (CompletableFuture<HttpResponse<String>> f : all)
            {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("cold body", r.body());
                if ("HIT".equals(status(r)))
                    hits++;
            }
            assertEquals(1, origin.count("/cold"));
            assertEquals(99, hits);
        }
    }

    @Test
    void collapsedRequestsFallThroughWhenTheResponseIsNotStorable() throws Exception
    {
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url()))
        {
            ResponseCache cache = proxy.server().application().cache();
            origin.on("/private-cold", h ->
            {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (cache.collapsed.getCount() < 9 && System.nanoTime() < end)
                    Poll.pause();
                return Reply.of(200, "mine", "Cache-Control", "private");
            });
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 10; i++)
                all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url() + "/private-cold")).build(), HttpResponse.BodyHandlers.ofString()));
            for (CompletableFuture<HttpResponse<String>> f : all)
                assertEquals("mine", f.get(30, TimeUnit.SECONDS).body());
            assertEquals(10, origin.count("/private-cold"));
        }
    }

    @Test
    void collapsedRequestsGoUpstreamAfterTheCollapseTimeout() throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "cache.collapse-timeout", "100ms",
                 "routes", "app", "routes.app.targets", origin.url()))
        {
            origin.on("/stuck", h ->
            {
                if (calls.incrementAndGet() == 1)
                {
                    try
                    {
                        release.await(10, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException x)
                    {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.of(200, "leader", "Cache-Control", "max-age=60");
                }
                return Reply.of(200, "follower", "Cache-Control", "max-age=60");
            });
            CompletableFuture<HttpResponse<String>> leader = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url() + "/stuck")).build(),
                HttpResponse.BodyHandlers.ofString());
            await(() -> calls.get() == 1, "the leader at the origin");
            List<CompletableFuture<HttpResponse<String>>> followers = new ArrayList<>();
            for (int i = 0; i < 4; i++)
                followers.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url() + "/stuck")).build(), HttpResponse.BodyHandlers.ofString()));
            for (CompletableFuture<HttpResponse<String>> f : followers)
            {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
            }
            assertTrue(!leader.isDone(), "the followers did not wait for the stuck leader");
            release.countDown();
            assertEquals("leader", leader.get(10, TimeUnit.SECONDS).body());
            assertTrue(origin.count("/stuck") >= 2);
        }
    }

    @Test
    void staleWhileRevalidateServesStaleAndRefreshesOnceInTheBackground() throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url()))
        {
            origin.on("/swr", h ->
            {
                if ("\"w\"".equals(h.get("If-None-Match")))
                {
                    try
                    {
                        release.await(10, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException x)
                    {
                        Thread.currentThread().interrupt();
                    }
                    return Reply.of(304, "", "ETag", "\"w\"", "Cache-Control", "max-age=600, stale-while-revalidate=600");
                }
                // stale on arrival (Age beyond max-age), within stale-while-revalidate
                return Reply.of(200, "swr body", "ETag", "\"w\"", "Cache-Control", "max-age=10, stale-while-revalidate=600", "Age", "20");
            });
            assertEquals("MISS", status(get(proxy, "/swr")));
            for (int i = 0; i < 20; i++)
            {
                HttpResponse<String> r = get(proxy, "/swr");
                assertEquals("STALE", status(r));
                assertEquals("swr body", r.body());
            }
            await(() -> origin.count("/swr") == 2, "the background refresh");
            assertEquals(2, origin.count("/swr"));
            release.countDown();
            await(() ->
            {
                try
                {
                    return "HIT".equals(status(get(proxy, "/swr")));
                }
                catch (Exception x)
                {
                    return false;
                }
            }, "the refreshed entry");
            assertEquals(2, origin.count("/swr"));
        }
    }

    @Test
    void staleIfErrorServesStaleOnErrorsOriginDownAndOpenBreaker() throws Exception
    {
        CacheOrigin origin = new CacheOrigin();
        try (Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url(),
            "routes.app.breaker.minimum-calls", "2", "routes.app.breaker.sliding-window", "2"))
        {
            origin.on("/sie", 200, "sie body", "ETag", "\"e\"", "Cache-Control", "max-age=10, stale-if-error=600", "Age", "20");
            origin.on("/no-sie", 200, "plain", "ETag", "\"n\"", "Cache-Control", "max-age=10", "Age", "20");
            get(proxy, "/sie");
            get(proxy, "/no-sie");
            origin.on("/sie", 500, "broken");
            origin.on("/no-sie", 500, "broken");
            HttpResponse<String> onError = get(proxy, "/sie");
            assertEquals(200, onError.statusCode());
            assertEquals("STALE", status(onError));
            assertEquals("sie body", onError.body());
            assertTrue(get(proxy, "/no-sie").statusCode() >= 500);
            origin.stop();
            for (int i = 0; i < 5; i++)
            {
                HttpResponse<String> down = get(proxy, "/sie");
                assertEquals(200, down.statusCode(), "request " + i);
                assertEquals("sie body", down.body());
                assertEquals("STALE", status(down));
            }
            HttpResponse<String> noStale = get(proxy, "/no-sie");
            assertTrue(noStale.statusCode() >= 500, "got " + noStale.statusCode());
        }
        finally
        {
            origin.close();
        }
    }

    @Test
    void freshHitsDoNotTouchTheUpstream() throws Exception
    {
        CacheOrigin origin = new CacheOrigin();
        try (Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url(),
            "routes.app.max-concurrent", "1"))
        {
            origin.on("/fresh", 200, "fresh body", "Cache-Control", "max-age=600");
            get(proxy, "/fresh");
            var counters = proxy.server().application().metrics().getCounters();
            long calls = counters.entrySet().stream().filter(e -> e.getKey().startsWith("gatehouse.upstream.app."))
                .mapToLong(e -> e.getValue().getCount()).sum();
            origin.stop();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++)
                all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(proxy.url() + "/fresh")).build(), HttpResponse.BodyHandlers.ofString()));
            for (CompletableFuture<HttpResponse<String>> f : all)
            {
                HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                assertEquals("HIT", status(r));
            }
            long after = proxy.server().application().metrics().getCounters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("gatehouse.upstream.app.")).mapToLong(e -> e.getValue().getCount()).sum();
            assertEquals(calls, after, "no upstream call, refusal or breaker outcome was recorded for hits");
        }
        finally
        {
            origin.close();
        }
    }

    @Test
    void oversizedResponsesStreamThroughUncached() throws Exception
    {
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "cache.max-object-size", "1KB",
                 "routes", "app", "routes.app.targets", origin.url()))
        {
            String big = "x".repeat(4096);
            origin.on("/big", 200, big, "Cache-Control", "max-age=60");
            origin.on("/big-chunked", 200, big, "Cache-Control", "max-age=60", CacheOrigin.CHUNKED, "1");
            origin.on("/small-chunked", 200, "small", "Cache-Control", "max-age=60", CacheOrigin.CHUNKED, "1");
            for (String p : new String[]{"/big", "/big-chunked"})
            {
                assertEquals(big, get(proxy, p).body());
                HttpResponse<String> again = get(proxy, p);
                assertEquals(big, again.body());
                assertEquals("MISS", status(again), p);
                assertEquals(2, origin.count(p), p);
            }
            get(proxy, "/small-chunked");
            HttpResponse<String> hit = get(proxy, "/small-chunked");
            assertEquals("HIT", status(hit));
            assertEquals("small", hit.body());
        }
    }
}
