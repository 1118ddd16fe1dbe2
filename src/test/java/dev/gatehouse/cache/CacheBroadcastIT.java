package dev.gatehouse.cache;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.RedisServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A purge on one instance empties the same entries on another, through a real redis-server. */
class CacheBroadcastIT
{
    static final HttpClient CLIENT = Http.direct();

    private static Gatehouse instance(RedisServer redis, Origin origin) throws Exception
    {
        return Gatehouse.start("cache.enabled", "true", "admin.token", "s3cret",
            "cache.broadcast.redis.uri", redis.uri(), "cache.broadcast.channel", "test:purge",
            "routes", "app", "routes.app.targets", origin.url());
    }

    private static String cacheStatus(Gatehouse proxy, String path) throws Exception
    {
        return Http.get(CLIENT, proxy.url() + path).headers().firstValue("X-Cache-Status").orElse("-");
    }

    private static void awaitConnected(Gatehouse proxy)
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!proxy.server().application().cacheBroadcast().connected())
        {
            if (System.nanoTime() > deadline)
                throw new AssertionError("the instance never subscribed");
            Poll.pause();
        }
    }

    /** Polls until the path is a MISS on the instance (the purge message arrives asynchronously). */
    private static boolean becomesMiss(Gatehouse proxy, String path) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            if (proxy.server().application().cache().entries() == 0 || !cacheStatus(proxy, path).equals("HIT"))
                return true;
        }
        return false;
    }

    @Test
    void aPurgeOnOneInstancePurgesTheOthers() throws Exception
    {
        try (RedisServer redis = new RedisServer(); Origin origin = new Origin("shared");
             Gatehouse a = instance(redis, origin); Gatehouse b = instance(redis, origin))
        {
            awaitConnected(a);
            awaitConnected(b);
            for (Gatehouse g : new Gatehouse[]{a, b})
            {
                assertEquals("MISS", cacheStatus(g, "/cacheable/img/logo.png"));
                assertEquals("HIT", cacheStatus(g, "/cacheable/img/logo.png"));
                assertEquals("MISS", cacheStatus(g, "/cacheable/css/site.css"));
            }
            HttpResponse<String> purge = CacheAdminIT.admin(a, "DELETE", "/admin/cache?pattern=127.0.0.1/cacheable/img/*", "s3cret");
            assertEquals(200, purge.statusCode());
            assertEquals("{\"invalidated\":1,\"remaining\":1,\"broadcast\":true}", purge.body().trim());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.server().application().cache().entries() > 1 && System.nanoTime() < deadline)
                Poll.pause();
            assertEquals(1, b.server().application().cache().entries(), "the other instance purged the same entry");
            assertEquals("MISS", cacheStatus(b, "/cacheable/img/logo.png"));
            assertEquals("HIT", cacheStatus(b, "/cacheable/css/site.css"), "entries outside the pattern stay");

            assertTrue(CacheAdminIT.admin(b, "DELETE", "/admin/cache", "s3cret").body().contains("\"broadcast\":true"));
            assertTrue(becomesMiss(a, "/cacheable/css/site.css"), "a clear on one instance clears the others");
        }
    }
}
