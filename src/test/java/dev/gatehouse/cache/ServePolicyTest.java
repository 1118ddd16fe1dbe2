package dev.gatehouse.cache;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.FreshnessTest.T;
import static dev.gatehouse.cache.FreshnessTest.date;
import static dev.gatehouse.cache.FreshnessTest.fields;
import static dev.gatehouse.cache.ServePolicy.Action.FRESH;
import static dev.gatehouse.cache.ServePolicy.Action.STALE;
import static dev.gatehouse.cache.ServePolicy.Action.STALE_WHILE_REVALIDATE;
import static dev.gatehouse.cache.ServePolicy.Action.VALIDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which stored responses may answer which requests, at explicit times. */
class ServePolicyTest
{
    static StoredResponse stored(String cacheControl)
    {
        return StoredResponse.of("k", 200, fields("Date", date(T), "Cache-Control", cacheControl, "ETag", "\"e\""), null,
            new byte[0], T, T, Map.of());
    }

    static ServePolicy.Action decide(String response, String request, long secondsLater)
    {
        return ServePolicy.decide(stored(response), CacheControl.parse(request), T + secondsLater * 1000);
    }

    @Test
    void freshThenValidate()
    {
        assertEquals(FRESH, decide("max-age=60", null, 59));
        assertEquals(VALIDATE, decide("max-age=60", null, 60));
    }

    @Test
    void requestDirectives()
    {
        assertEquals(VALIDATE, decide("max-age=60", "no-cache", 1));
        assertEquals(VALIDATE, decide("max-age=60", "max-age=5", 10));
        assertEquals(FRESH, decide("max-age=60", "max-age=5", 5));
        assertEquals(VALIDATE, decide("max-age=60", "min-fresh=30", 40));
        assertEquals(FRESH, decide("max-age=60", "min-fresh=30", 20));
        assertEquals(STALE, decide("max-age=60", "max-stale", 6000));
        assertEquals(STALE, decide("max-age=60", "max-stale=10", 70));
        assertEquals(VALIDATE, decide("max-age=60", "max-stale=10", 71));
        assertEquals(FRESH, decide("max-age=60", "max-age=abc", 30), "an invalid request max-age is ignored");
    }

    @Test
    void responseDirectives()
    {
        assertEquals(VALIDATE, decide("max-age=60, no-cache", null, 1));
        assertEquals(FRESH, decide("max-age=60, no-cache=\"Set-Cookie\"", null, 1), "qualified no-cache strips fields instead");
        assertEquals(VALIDATE, decide("max-age=60, must-revalidate", "max-stale", 70));
        assertEquals(VALIDATE, decide("max-age=60, proxy-revalidate", "max-stale", 70));
        assertEquals(VALIDATE, decide("s-maxage=60", "max-stale", 70));
        assertEquals(FRESH, decide("max-age=60, immutable", null, 30));
    }

    @Test
    void staleWhileRevalidateWindow()
    {
        assertEquals(STALE_WHILE_REVALIDATE, decide("max-age=60, stale-while-revalidate=30", null, 90));
        assertEquals(VALIDATE, decide("max-age=60, stale-while-revalidate=30", null, 91));
        assertEquals(VALIDATE, decide("max-age=60, stale-while-revalidate=30, must-revalidate", null, 70));
    }

    @Test
    void staleIfErrorWindowFromResponseOrRequest()
    {
        assertTrue(ServePolicy.staleIfError(stored("max-age=60, stale-if-error=30"), CacheControl.EMPTY, T + 90_000));
        assertFalse(ServePolicy.staleIfError(stored("max-age=60, stale-if-error=30"), CacheControl.EMPTY, T + 91_000));
        assertTrue(ServePolicy.staleIfError(stored("max-age=60"), CacheControl.parse("stale-if-error=100"), T + 100_000));
        assertFalse(ServePolicy.staleIfError(stored("max-age=60, stale-if-error=30, must-revalidate"), CacheControl.EMPTY, T + 70_000));
        assertFalse(ServePolicy.staleIfError(stored("max-age=60"), CacheControl.EMPTY, T + 61_000));
    }

    @Test
    void pragmaNoCacheOnlyWithoutCacheControl()
    {
        assertTrue(ServePolicy.requestDirectives(List.of(), List.of("no-cache")).has("no-cache"));
        assertFalse(ServePolicy.requestDirectives(List.of("max-stale"), List.of("no-cache")).has("no-cache"));
    }
}
