package dev.gatehouse.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.config.CacheConfig;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.FreshnessTest.date;
import static dev.gatehouse.cache.FreshnessTest.fields;
import static dev.gatehouse.cache.VaryAndConditionalTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store: variants, bounds, expiry, purge, collapsing; time from a settable clock. */
class ResponseCacheTest
{
    static final class TestClock extends Clock
    {
        long millis = FreshnessTest.T;

        @Override
        public ZoneOffset getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return Instant.ofEpochMilli(millis);
        }
    }

    static CacheConfig config(long maxMemory, int maxEntries)
    {
        return new CacheConfig(true, maxMemory, maxEntries, 1 << 20, false, List.of(), List.of(), Duration.ofSeconds(5), Set.of(), null);
    }

    static StoredResponse response(TestClock clock, String key, String cacheControl, int bodySize, Map<String, String> vary)
    {
        return StoredResponse.of(key, 200, fields("Date", date(clock.millis), "Cache-Control", cacheControl), null,
            new byte[bodySize], clock.millis, clock.millis, vary);
    }

    @Test
    void keepsOneEntryPerVariant()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(1 << 20, 100), clock);
        cache.store(response(clock, "k", "max-age=60", 10, Map.of("accept-encoding", "gzip")));
        cache.store(response(clock, "k", "max-age=60", 20, Map.of("accept-encoding", "br")));
        cache.store(response(clock, "k", "max-age=60", 30, Map.of("accept-encoding", "br")));
        assertEquals(2, cache.entries());
        assertEquals(30, cache.lookup("k", request("Accept-Encoding", "br")).body().length);
        assertEquals(10, cache.lookup("k", request("Accept-Encoding", "gzip")).body().length);
        assertNull(cache.lookup("k", request("Accept-Encoding", "deflate")));
    }

    @Test
    void entriesBoundHoldsThroughTheMinimumWeight()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(100_000, 10), clock);
        for (int i = 0; i < 50; i++)
            cache.store(response(clock, "k" + i, "max-age=60", 10, Map.of()));
        cache.cleanUp();
        assertTrue(cache.entries() <= 10, "entries " + cache.entries());
        assertTrue(cache.evictions.getCount() >= 40);
    }

    @Test
    void bytesBoundHolds()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(100_000, 10_000), clock);
        for (int i = 0; i < 50; i++)
            cache.store(response(clock, "k" + i, "max-age=60", 10_000, Map.of()));
        cache.cleanUp();
        assertTrue(cache.bytes() <= 100_000, "bytes " + cache.bytes());
    }

    @Test
    void aSmallerBoundAfterAReloadEvictsAtOnce()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(1 << 20, 1000), clock);
        for (int i = 0; i < 50; i++)
            cache.store(response(clock, "k" + i, "max-age=60", 10, Map.of()));
        cache.cleanUp();
        assertEquals(50, cache.entries());
        cache.resize(config(100_000, 5));
        cache.store(response(clock, "one-more", "max-age=60", 10, Map.of()));
        cache.cleanUp();
        assertTrue(cache.entries() <= 5, "entries " + cache.entries());
    }

    @Test
    void expiresWhenNoLongerUsable()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(1 << 20, 100), clock);
        cache.store(response(clock, "plain", "max-age=60", 1, Map.of()));
        cache.store(response(clock, "swr", "max-age=60, stale-while-revalidate=100", 1, Map.of()));
        clock.millis += 61_000;
        cache.cleanUp();
        assertNull(cache.lookup("plain", request()));
        assertNotNull(cache.lookup("swr", request()));
        clock.millis += 100_000;
        cache.cleanUp();
        assertNull(cache.lookup("swr", request()));
    }

    @Test
    void purgeByHostAndPathGlobAndClear()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(1 << 20, 100), clock);
        for (String path : new String[]{"/img/a.png", "/img/b.png?x=1", "/css/c.css"})
        {
            String key = CacheKey.of("http", "example.com", 80, path.split("\\?")[0], path.contains("?") ? "x=1" : null, false);
            cache.store(response(clock, key, "max-age=60", 1, Map.of()));
        }
        assertEquals(2, cache.purge(Glob.compile("example.com/img/*")));
        assertEquals(1, cache.entries());
        assertEquals(1, cache.clear());
        assertEquals(0, cache.entries());
    }

    @Test
    void replaceSwapsTheFreshenedVariant()
    {
        TestClock clock = new TestClock();
        ResponseCache cache = new ResponseCache(config(1 << 20, 100), clock);
        StoredResponse old = response(clock, "k", "max-age=1", 1, Map.of());
        cache.store(old);
        StoredResponse fresh = old.freshen(fields("Cache-Control", "max-age=600"), clock.millis, clock.millis);
        cache.replace(old, fresh);
        assertSame(fresh, cache.lookup("k", request()));
        assertEquals(1, cache.entries());
    }

    @Test
    void oneFlightPerKey()
    {
        ResponseCache cache = new ResponseCache(config(1 << 20, 100), new TestClock());
        Flight mine = new Flight("k");
        assertNull(cache.lead(mine));
        assertSame(mine, cache.lead(new Flight("k")));
        int[] woken = new int[1];
        assertTrue(mine.join(() -> woken[0]++));
        cache.land(mine);
        assertEquals(1, woken[0]);
        assertTrue(!mine.join(() -> woken[0]++), "a landed flight takes no more waiters");
        assertNull(cache.lead(new Flight("k")));
        assertTrue(cache.startRefresh("k"));
        assertTrue(!cache.startRefresh("k"));
        cache.endRefresh("k");
        assertTrue(cache.startRefresh("k"));
    }
}
