package dev.gatehouse.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.gatehouse.support.AccessLines;
import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Freshness, storability and Age through the real proxy; origin request counts prove hits. */
class CacheBasicsIT
{
    static CacheOrigin origin;
    static Gatehouse proxy;
    static final HttpClient CLIENT = Http.direct();

    @BeforeAll
    static void start() throws Exception
    {
        origin = new CacheOrigin();
        proxy = Gatehouse.start("cache.enabled", "true", "routes", "nocache,app", "routes.app.targets", origin.url(),
            "routes.nocache.match.path", "/off/", "routes.nocache.targets", origin.url(), "routes.nocache.cache", "off",
            "routes.app.match.path", "/", "cache.exclude", "/excluded/*");
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    static String httpDate(Instant t)
    {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception
    {
        return Http.get(CLIENT, proxy.url() + path, headers);
    }

    static String status(HttpResponse<?> r)
    {
        return r.headers().firstValue("X-Cache-Status").orElse(null);
    }

    @Test
    void aHitCarriesTheSameHeaderPolicyAsItsMiss() throws Exception
    {
        // the upstream's own X-Frame-Options wins over the proxy's (headers.override=false), once;
        // X-Powered-By is removed (headers.remove); the proxy's other security headers are added
        origin.on("/policy", 200, "framed", "Cache-Control", "max-age=60", "Content-Type", "text/plain",
            "X-Frame-Options", "SAMEORIGIN", "X-Powered-By", "PHP/8", "Link", "</a.css>; rel=preload, </b.js>; rel=preload");
        HttpResponse<String> miss = get("/policy");
        HttpResponse<String> hit = get("/policy");
        assertEquals("MISS", status(miss));
        assertEquals("HIT", status(hit));
        for (HttpResponse<String> r : List.of(miss, hit))
        {
            String which = status(r);
            assertEquals(List.of("SAMEORIGIN"), r.headers().allValues("X-Frame-Options"), which);
            assertEquals(List.of("nosniff"), r.headers().allValues("X-Content-Type-Options"), which);
            assertEquals(List.of(), r.headers().allValues("X-Powered-By"), which);
            assertEquals(1, r.headers().allValues("X-Request-ID").size(), which);
            // the stored Date replaces the one the container puts on every response
            assertEquals(1, r.headers().allValues("Date").size(), which + " " + r.headers().allValues("Date"));
            assertEquals("</a.css>; rel=preload, </b.js>; rel=preload", String.join(", ", r.headers().allValues("Link")), which);
        }
        assertEquals(1, origin.count("/policy"));
    }

    @Test
    void aHitsAccessLineCountsTheBytesItSent() throws Exception
    {
        // one body written at once, one written asynchronously in pieces (over 32 KiB)
        String small = "hello";
        String large = "0123456789".repeat(10_000);
        origin.on("/logged/small", 200, small, "Cache-Control", "max-age=60", "Content-Type", "application/octet-stream");
        origin.on("/logged/large", 200, large, "Cache-Control", "max-age=60", "Content-Type", "application/octet-stream");
        try (AccessLines access = new AccessLines())
        {
            for (String path : List.of("/logged/small", "/logged/large"))
            {
                get(path);
                HttpResponse<String> hit = get(path);
                assertEquals("HIT", status(hit), path);
                String line = access.await(l -> l.contains("\"url\":\"" + path + "\"") && l.contains("\"cache\":\"HIT\""),
                    Duration.ofSeconds(10));
                assertTrue(line != null, access.lines().toString());
                assertTrue(line.contains("\"bytes_sent\":" + hit.body().length() + ","), line);
            }
        }
    }

    @Test
    void servesMaxAgeResponseFromCacheWithAge() throws Exception
    {
        origin.on("/max-age", 200, "hello", "Cache-Control", "max-age=60", "Content-Type", "text/plain");
        HttpResponse<String> first = get("/max-age");
        HttpResponse<String> second = get("/max-age");
        assertEquals("MISS", status(first));
        assertEquals("HIT", status(second));
        assertEquals("hello", second.body());
        assertEquals("text/plain", second.headers().firstValue("Content-Type").orElse(null));
        assertTrue(second.headers().firstValue("Age").isPresent());
        assertTrue(second.headers().firstValue("Cache-Status").orElse("").startsWith("gatehouse; hit; ttl="));
        assertEquals(1, origin.count("/max-age"));
    }

    @Test
    void cachesForwardProxyTraffic() throws Exception
    {
        origin.on("/forward", 200, "fwd", "Cache-Control", "max-age=60");
        HttpClient viaProxy = Http.via(proxy.port());
        assertEquals("MISS", status(Http.get(viaProxy, origin.url() + "/forward")));
        HttpResponse<String> hit = Http.get(viaProxy, origin.url() + "/forward");
        assertEquals("HIT", status(hit));
        assertEquals("fwd", hit.body());
        assertEquals(1, origin.count("/forward"));
    }

    @Test
    void largeHitsAreWrittenWhole() throws Exception
    {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < 300_000; i++)
            b.append(i).append(',');
        String big = b.toString();
        origin.on("/large", 200, big, "Cache-Control", "max-age=60");
        get("/large");
        HttpResponse<String> hit = get("/large");
        assertEquals("HIT", status(hit));
        assertEquals(big, hit.body());
        assertEquals(Integer.toString(big.length()), hit.headers().firstValue("Content-Length").orElse(null));
        assertEquals(1, origin.count("/large"));
    }

    @Test
    void sMaxageWinsOverMaxAge() throws Exception
    {
        origin.on("/s-maxage", 200, "s", "Cache-Control", "max-age=0, s-maxage=60");
        get("/s-maxage");
        assertEquals("HIT", status(get("/s-maxage")));
        assertEquals(1, origin.count("/s-maxage"));
    }

    @Test
    void expiresMinusDateGivesFreshness() throws Exception
    {
        Instant now = Instant.now();
        origin.on("/expires", 200, "e", "Date", httpDate(now), "Expires", httpDate(now.plusSeconds(120)));
        origin.on("/expired", 200, "e", "Date", httpDate(now), "Expires", httpDate(now.minusSeconds(10)), "ETag", "\"x\"");
        origin.on("/expires-invalid", 200, "e", "Expires", "0", "ETag", "\"x\"");
        get("/expires");
        assertEquals("HIT", status(get("/expires")));
        assertEquals(1, origin.count("/expires"));
        get("/expired");
        get("/expired");
        assertEquals(2, origin.count("/expired"));
        get("/expires-invalid");
        get("/expires-invalid");
        assertEquals(2, origin.count("/expires-invalid"));
    }

    @Test
    void heuristicFreshnessFromLastModified() throws Exception
    {
        origin.on("/heuristic", 200, "h", "Last-Modified", httpDate(Instant.now().minus(Duration.ofDays(10))));
        get("/heuristic");
        assertEquals("HIT", status(get("/heuristic")));
        assertEquals(1, origin.count("/heuristic"));
    }

    @Test
    void responseWithNeitherFreshnessNorValidatorIsNotStored() throws Exception
    {
        origin.on("/plain", 200, "p");
        get("/plain");
        HttpResponse<String> second = get("/plain");
        assertEquals("MISS", status(second));
        assertTrue(second.headers().firstValue("Cache-Status").orElse("").contains("detail=no-freshness-or-validator"));
        assertEquals(2, origin.count("/plain"));
    }

    @Test
    void ageCountsTheUpstreamAge() throws Exception
    {
        origin.on("/aged", 200, "a", "Cache-Control", "max-age=600", "Age", "100");
        get("/aged");
        HttpResponse<String> hit = get("/aged");
        assertEquals("HIT", status(hit));
        assertTrue(Long.parseLong(hit.headers().firstValue("Age").orElseThrow()) >= 100);
        // older than its max-age on arrival: stale at once
        origin.on("/too-old", 200, "a", "Cache-Control", "max-age=50", "Age", "100");
        get("/too-old");
        get("/too-old");
        assertEquals(2, origin.count("/too-old"));
    }

    @Test
    void noStorePrivateAndSetCookieAreNotStored() throws Exception
    {
        origin.on("/no-store", 200, "n", "Cache-Control", "max-age=60, no-store");
        origin.on("/private", 200, "n", "Cache-Control", "private, max-age=60");
        origin.on("/cookie", 200, "n", "Cache-Control", "max-age=60", "Set-Cookie", "a=b");
        for (String p : new String[]{"/no-store", "/private", "/cookie"})
        {
            get(p);
            assertEquals("MISS", status(get(p)), p);
            assertEquals(2, origin.count(p), p);
        }
    }

    @Test
    void authorizedRequestsAreStoredOnlyWithPublic() throws Exception
    {
        origin.on("/auth", 200, "a", "Cache-Control", "max-age=60");
        origin.on("/auth-public", 200, "a", "Cache-Control", "public, max-age=60");
        get("/auth", "Authorization", "Bearer x");
        get("/auth", "Authorization", "Bearer x");
        assertEquals(2, origin.count("/auth"));
        get("/auth-public", "Authorization", "Bearer x");
        assertEquals("HIT", status(get("/auth-public", "Authorization", "Bearer x")));
        assertEquals(1, origin.count("/auth-public"));
    }

    @Test
    void routeWithCacheOffAndExcludedPathsBypass() throws Exception
    {
        origin.on("/off/x", 200, "o", "Cache-Control", "max-age=60");
        origin.on("/excluded/x", 200, "o", "Cache-Control", "max-age=60");
        for (String p : new String[]{"/off/x", "/excluded/x"})
        {
            get(p);
            assertEquals("BYPASS", status(get(p)), p);
            assertEquals(2, origin.count(p), p);
        }
    }

    @Test
    void rangeRequestsAreAnsweredFromAStoredFullResponse() throws Exception
    {
        origin.on("/ranged", 200, "0123456789", "Cache-Control", "max-age=60", "ETag", "\"r1\"");
        // cold: the range goes to the origin, and nothing is stored from it
        HttpResponse<String> cold = get("/ranged", "Range", "bytes=0-3");
        assertEquals("BYPASS", status(cold));
        assertEquals(1, origin.count("/ranged"));
        get("/ranged");
        HttpResponse<String> part = get("/ranged", "Range", "bytes=2-5");
        assertEquals(206, part.statusCode());
        assertEquals("2345", part.body());
        assertEquals("bytes 2-5/10", part.headers().firstValue("Content-Range").orElse(null));
        assertEquals("HIT", status(part));
        assertEquals("789", get("/ranged", "Range", "bytes=-3").body());
        assertEquals("89", get("/ranged", "Range", "bytes=8-").body());
        HttpResponse<String> beyond = get("/ranged", "Range", "bytes=10-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */10", beyond.headers().firstValue("Content-Range").orElse(null));
        assertTrue(beyond.body().startsWith("{\"error\":{\"code\":\"RANGE_NOT_SATISFIABLE\""), beyond.body());
        assertEquals("HIT", status(beyond));
        HttpResponse<String> ifRangeStale = get("/ranged", "Range", "bytes=0-1", "If-Range", "\"old\"");
        assertEquals(200, ifRangeStale.statusCode());
        assertEquals("0123456789", ifRangeStale.body());
        assertEquals("01", get("/ranged", "Range", "bytes=0-1", "If-Range", "\"r1\"").body());
        assertEquals(2, origin.count("/ranged"));
        // several ranges: left to the origin
        assertEquals("BYPASS", status(get("/ranged", "Range", "bytes=0-1,4-5")));
        assertEquals(3, origin.count("/ranged"));
    }

    @Test
    void headIsAnsweredFromAStoredGet() throws Exception
    {
        origin.on("/head", 200, "body of get", "Cache-Control", "max-age=60");
        get("/head");
        HttpResponse<String> head = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/head"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("HIT", status(head));
        assertEquals("11", head.headers().firstValue("Content-Length").orElse(null));
        assertEquals("", head.body());
        assertEquals(1, origin.count("/head"));
    }

    @Test
    void upstreamCacheStatusComesFirst() throws Exception
    {
        origin.on("/chain", 200, "c", "Cache-Control", "max-age=60", "Cache-Status", "origin-cache; hit");
        HttpResponse<String> r = get("/chain");
        assertEquals("origin-cache; hit, gatehouse; fwd=uri-miss; fwd-status=200; stored",
            String.join(", ", r.headers().allValues("Cache-Status")));
        assertNull(r.headers().firstValue("Age").orElse(null));
    }
}
