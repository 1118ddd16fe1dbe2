package dev.gatehouse.cache;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.FreshnessTest.T;
import static dev.gatehouse.cache.FreshnessTest.date;
import static dev.gatehouse.cache.FreshnessTest.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VaryAndConditionalTest
{
    static Function<String, List<String>> request(String... kv)
    {
        return name ->
        {
            for (int i = 0; i < kv.length; i += 2)
            {
                if (kv[i].equalsIgnoreCase(name))
                    return List.of(kv[i + 1]);
            }
            return List.of();
        };
    }

    @Test
    void selectingHeadersAreNormalised()
    {
        Map<String, String> stored = Vary.selecting(List.of("Accept-Encoding, X-Tenant"), request("Accept-Encoding", "gzip,  br", "X-Tenant", "A"));
        assertTrue(Vary.matches(stored, request("accept-encoding", "GZIP, br", "x-tenant", "A")));
        assertFalse(Vary.matches(stored, request("Accept-Encoding", "gzip, br", "X-Tenant", "a")), "X-Tenant is case-sensitive");
        assertFalse(Vary.matches(stored, request("Accept-Encoding", "br, gzip", "X-Tenant", "A")), "order is kept");
        assertFalse(Vary.matches(stored, request("Accept-Encoding", "gzip, br")), "absent matches only absent");
    }

    @Test
    void absentMatchesAbsentAndParametersLoseWhitespace()
    {
        Map<String, String> stored = Vary.selecting(List.of("Accept-Language"), request());
        assertNull(stored.get("accept-language"));
        assertTrue(Vary.matches(stored, request()));
        assertEquals("en;q=0.8,de", Vary.normalize("accept-language", List.of("en ; q=0.8", " DE")));
    }

    @Test
    void varyStar()
    {
        assertTrue(Vary.isStar(List.of("Accept, *")));
        assertFalse(Vary.isStar(List.of("Accept")));
    }

    @Test
    void ifNoneMatchUsesWeakComparison()
    {
        var stored = fields("ETag", "W/\"v1\"");
        assertTrue(Conditional.notModified(stored, T, List.of("\"v1\""), null));
        assertTrue(Conditional.notModified(stored, T, List.of("\"a\", W/\"v1\""), null));
        assertTrue(Conditional.notModified(stored, T, List.of("*"), null));
        assertFalse(Conditional.notModified(stored, T, List.of("\"v2\""), null));
        assertFalse(Conditional.notModified(fields(), T, List.of("\"v1\""), null));
        assertEquals(List.of("\"a,b\"", "\"c\""), Conditional.splitTags("\"a,b\", \"c\""));
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince()
    {
        var stored = fields("ETag", "\"v1\"", "Last-Modified", date(T - 100_000));
        assertFalse(Conditional.notModified(stored, T, List.of("\"v2\""), date(T)));
    }

    @Test
    void ifModifiedSinceAgainstLastModifiedOrDate()
    {
        var stored = fields("Last-Modified", date(T - 100_000));
        assertTrue(Conditional.notModified(stored, T, List.of(), date(T - 100_000)));
        assertFalse(Conditional.notModified(stored, T, List.of(), date(T - 200_000)));
        assertTrue(Conditional.notModified(fields("Date", date(T - 50_000)), T, List.of(), date(T - 10_000)));
        assertFalse(Conditional.notModified(stored, T, List.of(), "not a date"));
        assertTrue(Conditional.strongMatch("\"a\"", "\"a\""));
        assertFalse(Conditional.strongMatch("W/\"a\"", "\"a\""));
    }

    @Test
    void notModifiedSelectsTheStoredResponseByItsValidators()
    {
        var stored = fields("ETag", "\"v1\"", "Last-Modified", date(T));
        assertTrue(Conditional.selects(fields("ETag", "\"v1\""), stored));
        assertTrue(Conditional.selects(fields("ETag", "W/\"v1\""), stored));
        assertTrue(Conditional.selects(fields(), stored));
        assertFalse(Conditional.selects(fields("ETag", "\"v2\""), stored));
        assertFalse(Conditional.selects(fields("Last-Modified", date(T + 1000)), stored));
        assertTrue(Conditional.selects(fields("Last-Modified", date(T)), stored));
    }
}
