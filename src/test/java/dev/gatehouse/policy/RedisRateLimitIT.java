package dev.gatehouse.policy;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits shared by two real proxy instances through a real redis-server. */
class RedisRateLimitIT
{
    static RedisServer redis;
    static Origin origin;
    static final HttpClient CLIENT = Http.direct();

    @BeforeAll
    static void start() throws Exception
    {
        redis = new RedisServer();
        origin = new Origin("limited");
    }

    @AfterAll
    static void stop() throws Exception
    {
        redis.close();
        origin.close();
    }

    private static Gatehouse instance(String prefix, String onFailure, String... more) throws Exception
    {
        String[] base = {
            "ratelimit.backend", "redis",
            "ratelimit.redis.uri", redis.uri(),
            "ratelimit.redis.key-prefix", prefix,
            "ratelimit.redis.on-failure", onFailure,
            "ratelimit.redis.timeout", "2s", // a slow answer on a busy machine must not count as an outage
            "ratelimit.requests-per-second", "0.001", // no refill within a test: counts are exact
            "ratelimit.burst", "10",
            "routes", "app",
            "routes.app.targets", origin.url()};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Gatehouse.start(all);
    }

    private static int status(Gatehouse proxy) throws Exception
    {
        return Http.get(CLIENT, proxy.url() + "/echo").statusCode();
    }

    private static HttpResponse<String> get(Gatehouse proxy) throws Exception
    {
        return Http.get(CLIENT, proxy.url() + "/echo");
    }

    /** Polls until the instance reaches Redis (its first connection is made in the background). */
    private static void awaitShared(Gatehouse proxy) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline)
        {
            RedisRateLimiter limiter = (RedisRateLimiter)proxy.server().application().rateLimiter();
            if (limiter.healthy())
                return;
            Poll.pause();
        }
        throw new AssertionError("the instance never reached Redis");
    }

    @Test
    void twoInstancesShareOneLimit() throws Exception
    {
        try (Gatehouse a = instance("share:", "open"); Gatehouse b = instance("share:", "open"))
        {
            awaitShared(a);
            awaitShared(b);
            int allowed = 0;
            int limited = 0;
            for (int i = 0; i < 30; i++)
            {
                int s = status(i % 2 == 0 ? a : b);
                if (s == 200)
                    allowed++;
                else if (s == 429)
                    limited++;
            }
            assertEquals(10, allowed, "10 allowed across both instances, not 20");
            assertEquals(20, limited);
        }
    }

    @Test
    void apiKeyBucketsAreSharedToo() throws Exception
    {
        try (Gatehouse a = instance("keys:", "open", "ratelimit.key", "header:X-API-Key");
             Gatehouse b = instance("keys:", "open", "ratelimit.key", "header:X-API-Key"))
        {
            awaitShared(a);
            awaitShared(b);
            int allowedOne = 0;
            for (int i = 0; i < 24; i++)
                allowedOne += Http.get(CLIENT, (i % 2 == 0 ? a : b).url() + "/echo", "X-API-Key", "key-one").statusCode() == 200 ? 1 : 0;
            assertEquals(10, allowedOne, "one key, one bucket across instances");
            assertEquals(200, Http.get(CLIENT, b.url() + "/echo", "X-API-Key", "key-two").statusCode(), "another key has its own bucket");
        }
    }

    @Test
    void redisGoingAwayFollowsThePolicyAndSharingResumesWhenItIsBack() throws Exception
    {
        try (Gatehouse open = instance("outage:", "open"); Gatehouse closed = instance("outage:", "closed"))
        {
            awaitShared(open);
            awaitShared(closed);
            redis.stop();
            try
            {
                for (int i = 0; i < 15; i++)
                    assertEquals(200, status(open), "on-failure=open lets requests through while Redis is away");
                HttpResponse<String> refused = get(closed);
                assertEquals(429, refused.statusCode(), "on-failure=closed refuses");
                assertTrue(refused.body().contains("\"code\":\"RATE_LIMITED\""), refused.body());
                RedisRateLimiter limiter = (RedisRateLimiter)open.server().application().rateLimiter();
                assertTrue(limiter.failures() > 0);
                String metrics = Http.get(CLIENT, open.adminUrl() + "/metrics").body();
                assertTrue(metrics.contains("gatehouse_ratelimit_redis_healthy 0.0"), metrics);
            }
            finally
            {
                redis.start();
            }
            // back: the instances reconnect by themselves and share the bucket again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean shared = false;
            while (!shared && System.nanoTime() < deadline)
            {
                HttpResponse<String> r = get(open);
                shared = r.headers().firstValue("RateLimit-Remaining").map(v -> Integer.parseInt(v) < 10).orElse(false);
            }
            assertTrue(shared, "the limit is enforced through Redis again");
            int allowed = 0;
            for (int i = 0; i < 30; i++)
                allowed += status(i % 2 == 0 ? open : closed) == 200 ? 1 : 0;
            assertTrue(allowed <= 9, "shared again: what is left of the one bucket across both (9 tokens): " + allowed);
        }
    }
}
