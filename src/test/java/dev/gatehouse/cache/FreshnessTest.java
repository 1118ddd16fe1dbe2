package dev.gatehouse.cache;

import java.util.Map;
import java.util.Set;

import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Freshness lifetime and age with explicit times (RFC 9111 §4.2). */
class FreshnessTest
{
    static final long T = 1_700_000_000_000L;

    static HttpFields fields(String... kv)
    {
        HttpFields.Mutable f = HttpFields.build();
        for (int i = 0; i < kv.length; i += 2)
            f.add(kv[i], kv[i + 1]);
        return f.asImmutable();
    }

    static String date(long millis)
    {
        return DateGenerator.formatDate(millis);
    }

    static long lifetime(int status, HttpFields h)
    {
        return Freshness.lifetime(status, h, CacheControl.parse(h.getValuesList("Cache-Control")), T);
    }

    @Test
    void sMaxageThenMaxAgeThenExpires()
    {
        assertEquals(30_000, lifetime(200, fields("Cache-Control", "max-age=60, s-maxage=30", "Expires", date(T + 999_000))));
        assertEquals(60_000, lifetime(200, fields("Cache-Control", "max-age=60", "Expires", date(T + 999_000))));
        assertEquals(120_000, lifetime(200, fields("Date", date(T), "Expires", date(T + 120_000))));
    }

    @Test
    void expiresIsRelativeToDateNotToTheLocalClock()
    {
        // the origin's clock is an hour behind ours: Expires - Date still gives two minutes
        assertEquals(120_000, lifetime(200, fields("Date", date(T - 3600_000), "Expires", date(T - 3600_000 + 120_000))));
    }

    @Test
    void invalidFreshnessIsStale()
    {
        assertEquals(0, lifetime(200, fields("Cache-Control", "max-age=soon", "Expires", date(T + 60_000))));
        assertEquals(0, lifetime(200, fields("Expires", "0", "Last-Modified", date(T - 86_400_000))));
        assertEquals(0, lifetime(200, fields("Cache-Control", "s-maxage")));
    }

    @Test
    void heuristicIsTenPercentOfLastModifiedAgeBounded()
    {
        assertEquals(3_600_000, lifetime(200, fields("Date", date(T), "Last-Modified", date(T - 36_000_000))));
        assertEquals(Freshness.HEURISTIC_MAX_MILLIS, lifetime(200, fields("Date", date(T), "Last-Modified", date(T - 365L * 86_400_000))));
        assertEquals(0, lifetime(302, fields("Date", date(T), "Last-Modified", date(T - 36_000_000))));
        assertEquals(3_600_000, lifetime(302, fields("Cache-Control", "public", "Date", date(T), "Last-Modified", date(T - 36_000_000))));
    }

    @Test
    void correctedInitialAgeTakesUpstreamAgeAndDelay()
    {
        // Age 10 s, response took 2 s: corrected age value 12 s beats the apparent age of 5 s
        HttpFields h = fields("Date", date(T - 5_000), "Age", "10");
        assertEquals(12_000, Freshness.correctedInitialAge(h, T - 2_000, T));
        // a Date in the future gives no negative apparent age
        assertEquals(0, Freshness.correctedInitialAge(fields("Date", date(T + 50_000)), T, T));
        // apparent age wins when larger
        assertEquals(30_000, Freshness.correctedInitialAge(fields("Date", date(T - 30_000), "Age", "1"), T, T));
        assertEquals(0, Freshness.ageValue(fields("Age", "-5")));
    }

    @Test
    void currentAgeAddsResidentTime()
    {
        assertEquals(17_000, Freshness.currentAge(12_000, T, T + 5_000));
    }

    @Test
    void storedResponseIsFreshUntilLifetimeMinusAge()
    {
        HttpFields h = fields("Date", date(T), "Cache-Control", "max-age=60", "Age", "50");
        StoredResponse r = StoredResponse.of("k", 200, h, null, new byte[0], T, T, Map.of());
        assertTrue(r.isFresh(T + 9_000));
        assertFalse(r.isFresh(T + 10_000));
        assertEquals(55, r.ageSeconds(T + 5_000));
    }

    @Test
    void freshenReplacesHeadersExceptContentLengthAndUpdatesTimes()
    {
        HttpFields h = fields("Date", date(T), "Cache-Control", "max-age=10", "ETag", "\"a\"", "X-Old", "1", "Age", "5");
        StoredResponse r = StoredResponse.of("k", 200, h, null, "body".getBytes(), T, T, Map.of());
        StoredResponse f = r.freshen(fields("Date", date(T + 100_000), "Cache-Control", "max-age=60", "Content-Length", "0",
            "X-Old", "2"), T + 100_000, T + 100_000);
        assertEquals("max-age=60", f.headers().get("Cache-Control"));
        assertEquals("2", f.headers().get("X-Old"));
        assertEquals("\"a\"", f.headers().get("ETag"));
        assertFalse(f.headers().contains("Content-Length"));
        assertFalse(f.headers().contains("Age"));
        assertTrue(f.isFresh(T + 150_000));
        assertEquals("body", new String(f.body()));
    }

    @Test
    void storedFormDropsHopByHopConnectionListedAndPrivateFieldsAndAddsDate()
    {
        HttpFields h = fields("Connection", "X-Hop", "X-Hop", "v", "Transfer-Encoding", "chunked", "Keep-Alive", "5",
            "Cache-Control", "max-age=5, private=\"X-User\"", "X-User", "alice", "X-Keep", "k");
        StoredResponse r = StoredResponse.of("k", 200, h, Set.of("x-hop"), new byte[0], T, T, Map.of());
        assertFalse(r.headers().contains("X-Hop"));
        assertFalse(r.headers().contains("Transfer-Encoding"));
        assertFalse(r.headers().contains("Keep-Alive"));
        assertFalse(r.headers().contains("X-User"));
        assertTrue(r.headers().contains("X-Keep"));
        assertEquals(date(T), r.headers().get("Date"));
    }

    @Test
    void aNotModifiedWithoutDateDatesTheFreshenedResponseAtItsArrival()
    {
        StoredResponse r = StoredResponse.of("k", 200, fields("Date", date(T), "Cache-Control", "max-age=10"), null,
            new byte[0], T, T, Map.of());
        StoredResponse f = r.freshen(fields("Cache-Control", "max-age=10"), T + 60_000, T + 60_000);
        assertEquals(date(T + 60_000), f.headers().get("Date"));
        assertTrue(f.isFresh(T + 65_000));
    }
}
