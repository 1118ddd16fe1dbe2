package dev.gatehouse.cache;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.CacheOrigin.Reply;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.CacheBasicsIT.CLIENT;
import static dev.gatehouse.cache.CacheBasicsIT.httpDate;
import static dev.gatehouse.cache.CacheBasicsIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation, conditional requests, request directives, Vary and invalidation through the real proxy. */
class CacheValidationIT
{
    static CacheOrigin origin;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new CacheOrigin();
        proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception
    {
        return Http.get(CLIENT, proxy.url() + path, headers);
    }

    /** An origin path that answers 304 to a matching If-None-Match, else 200 with the body. */
    static void etagged(String path, String etag, String cacheControl, String... extra)
    {
        origin.on(path, h ->
        {
            String inm = h.get("If-None-Match");
            if (etag.equals(inm))
                return Reply.of(304, "", concat(new String[]{"ETag", etag, "Cache-Control", cacheControl}, extra));
            return Reply.of(200, "body " + path, concat(new String[]{"ETag", etag, "Cache-Control", cacheControl}, extra));
        });
    }

    static String[] concat(String[] a, String[] b)
    {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void responseNoCacheIsRevalidatedWithEtagEveryTime() throws Exception
    {
        etagged("/no-cache", "\"v1\"", "no-cache");
        assertEquals("MISS", status(get("/no-cache")));
        HttpResponse<String> second = get("/no-cache");
        assertEquals(200, second.statusCode());
        assertEquals("body /no-cache", second.body());
        assertEquals("REVALIDATED", status(second));
        assertEquals("\"v1\"", origin.lastRequest("/no-cache").get("If-None-Match"));
        assertEquals(2, origin.count("/no-cache"));
    }

    @Test
    void revalidatesWithLastModified() throws Exception
    {
        String lm = httpDate(Instant.now().minus(Duration.ofDays(1)));
        origin.on("/lm", h -> h.get("If-Modified-Since") != null && h.get("If-Modified-Since").equals(lm)
            ? Reply.of(304, "", "Last-Modified", lm, "Cache-Control", "max-age=0")
            : Reply.of(200, "lm body", "Last-Modified", lm, "Cache-Control", "max-age=0"));
        get("/lm");
        HttpResponse<String> second = get("/lm");
        assertEquals("REVALIDATED", status(second));
        assertEquals("lm body", second.body());
        assertEquals(lm, origin.lastRequest("/lm").get("If-Modified-Since"));
    }

    @Test
    void notModifiedFreshensTheStoredEntryAndItsHeaders() throws Exception
    {
        AtomicInteger version = new AtomicInteger();
        origin.on("/freshen", h -> "\"f\"".equals(h.get("If-None-Match"))
            ? Reply.of(304, "", "ETag", "\"f\"", "Cache-Control", "max-age=3600", "X-Version", "after-304")
            // stale on arrival: it is older (Age) than its max-age
            : Reply.of(200, "freshen body " + version.incrementAndGet(), "ETag", "\"f\"", "Cache-Control", "max-age=10", "Age", "20",
                "X-Version", "first"));
        get("/freshen");
        HttpResponse<String> revalidated = get("/freshen");
        assertEquals("REVALIDATED", status(revalidated));
        assertEquals("after-304", revalidated.headers().firstValue("X-Version").orElse(null));
        HttpResponse<String> hit = get("/freshen");
        assertEquals("HIT", status(hit));
        assertEquals("freshen body 1", hit.body());
        assertEquals("after-304", hit.headers().firstValue("X-Version").orElse(null));
        assertEquals(2, origin.count("/freshen"));
    }

    @Test
    void clientConditionalIsAnsweredFromCache() throws Exception
    {
        String lm = httpDate(Instant.now().minus(Duration.ofDays(2)));
        origin.on("/cond", 200, "cond", "ETag", "W/\"c1\"", "Cache-Control", "max-age=60", "Last-Modified", lm);
        get("/cond");
        HttpResponse<String> inm = get("/cond", "If-None-Match", "\"other\", \"c1\"");
        assertEquals(304, inm.statusCode());
        assertEquals("HIT", status(inm));
        assertEquals("W/\"c1\"", inm.headers().firstValue("ETag").orElse(null));
        HttpResponse<String> ims = get("/cond", "If-Modified-Since", httpDate(Instant.now()));
        assertEquals(304, ims.statusCode());
        HttpResponse<String> changed = get("/cond", "If-None-Match", "\"c2\"");
        assertEquals(200, changed.statusCode());
        assertEquals("cond", changed.body());
        assertEquals(1, origin.count("/cond"));
    }

    @Test
    void requestNoCacheAndMaxAgeZeroRevalidate() throws Exception
    {
        etagged("/req-no-cache", "\"r\"", "max-age=600");
        get("/req-no-cache");
        assertEquals("REVALIDATED", status(get("/req-no-cache", "Cache-Control", "no-cache")));
        assertEquals("REVALIDATED", status(get("/req-no-cache", "Cache-Control", "max-age=0")));
        assertEquals("REVALIDATED", status(get("/req-no-cache", "Pragma", "no-cache")));
        assertEquals("HIT", status(get("/req-no-cache", "Pragma", "no-cache", "Cache-Control", "max-stale")));
        assertEquals(4, origin.count("/req-no-cache"));
    }

    @Test
    void minFreshAndMaxStale() throws Exception
    {
        etagged("/min-fresh", "\"m\"", "max-age=60");
        get("/min-fresh");
        assertEquals("HIT", status(get("/min-fresh", "Cache-Control", "min-fresh=10")));
        assertEquals("REVALIDATED", status(get("/min-fresh", "Cache-Control", "min-fresh=120")));
        origin.on("/max-stale", 200, "s", "Cache-Control", "max-age=10", "Age", "30", "ETag", "\"s\"");
        get("/max-stale");
        HttpResponse<String> stale = get("/max-stale", "Cache-Control", "max-stale=60");
        assertEquals("STALE", status(stale));
        assertEquals(1, origin.count("/max-stale"));
        assertEquals("EXPIRED", status(get("/max-stale", "Cache-Control", "max-stale=5")));
        origin.on("/must-revalidate", 200, "s", "Cache-Control", "max-age=10, must-revalidate", "Age", "30", "ETag", "\"s\"");
        get("/must-revalidate");
        assertEquals("EXPIRED", status(get("/must-revalidate", "Cache-Control", "max-stale")));
    }

    @Test
    void onlyIfCachedAnswers504WhenNotCached() throws Exception
    {
        HttpResponse<String> cold = get("/only-if-cached", "Cache-Control", "only-if-cached");
        assertEquals(504, cold.statusCode());
        assertTrue(cold.body().contains("\"code\":\"NOT_CACHED\""), cold.body());
        assertEquals(0, origin.count("/only-if-cached"));
        origin.on("/only-if-cached", 200, "o", "Cache-Control", "max-age=60");
        get("/only-if-cached");
        assertEquals("HIT", status(get("/only-if-cached", "Cache-Control", "only-if-cached")));
    }

    @Test
    void requestNoStoreIsNotStored() throws Exception
    {
        origin.on("/req-no-store", 200, "n", "Cache-Control", "max-age=60");
        get("/req-no-store", "Cache-Control", "no-store");
        assertEquals("MISS", status(get("/req-no-store")));
        assertEquals(2, origin.count("/req-no-store"));
    }

    @Test
    void varyKeepsVariantsWithNormalisedValues() throws Exception
    {
        origin.on("/vary", h -> Reply.of(200, "enc=" + h.get("Accept-Encoding"), "Cache-Control", "max-age=60", "Vary", "Accept-Encoding"));
        assertEquals("enc=gzip, br", get("/vary", "Accept-Encoding", "gzip, br").body());
        assertEquals("enc=identity", get("/vary", "Accept-Encoding", "identity").body());
        HttpResponse<String> gz = get("/vary", "Accept-Encoding", "GZIP,br");
        assertEquals("HIT", status(gz));
        assertEquals("enc=gzip, br", gz.body());
        assertEquals("enc=identity", get("/vary", "Accept-Encoding", "identity").body());
        assertEquals(2, origin.count("/vary"));
        // no Accept-Encoding at all is a third variant
        assertEquals("MISS", status(get("/vary")));
    }

    @Test
    void varyStarNeverMatches() throws Exception
    {
        origin.on("/vary-star", 200, "v", "Cache-Control", "max-age=60", "Vary", "*");
        get("/vary-star");
        get("/vary-star");
        assertEquals(2, origin.count("/vary-star"));
    }

    @Test
    void unsafeMethodInvalidatesTargetAndLocation() throws Exception
    {
        origin.on("/items", 200, "items", "Cache-Control", "max-age=60");
        origin.on("/items/7", 200, "item 7", "Cache-Control", "max-age=60");
        origin.on("/items-post", h -> Reply.of(201, "created", "Location", "/items/7", "Content-Location", "/items"));
        get("/items");
        get("/items/7");
        assertEquals("HIT", status(get("/items")));
        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/items-post"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, post.statusCode());
        assertEquals("MISS", status(get("/items")));
        assertEquals("MISS", status(get("/items/7")));
        origin.on("/items", 200, "items", "Cache-Control", "max-age=60");
        HttpResponse<String> delete = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/items"))
            .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, delete.statusCode());
        assertEquals("MISS", status(get("/items")));
    }

    @Test
    void failedUnsafeMethodDoesNotInvalidate() throws Exception
    {
        origin.on("/keep", h -> Reply.of(200, "keep", "Cache-Control", "max-age=60"));
        get("/keep");
        origin.on("/keep", h -> Reply.of(500, "failed"));
        CLIENT.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/keep"))
            .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = get("/keep");
        assertEquals("HIT", status(r));
        assertNull(r.headers().firstValue("Set-Cookie").orElse(null));
    }
}
