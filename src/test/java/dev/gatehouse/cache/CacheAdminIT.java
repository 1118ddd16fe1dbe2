package dev.gatehouse.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.CacheBasicsIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /admin/cache on the admin listener: stats, purge by pattern, clear; token required; metrics. */
class CacheAdminIT
{
    static final HttpClient CLIENT = Http.direct();

    static HttpResponse<String> admin(Gatehouse proxy, String method, String path, String token) throws Exception
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.adminUrl() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null)
            b.header("Authorization", "Bearer " + token);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void statsPurgeAndClearWithTheAdminToken() throws Exception
    {
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "admin.token", "s3cret", "routes", "app",
                 "routes.app.targets", origin.url()))
        {
            for (String p : new String[]{"/img/a.png", "/img/b.png", "/css/site.css"})
            {
                origin.on(p, 200, "content of " + p, "Cache-Control", "max-age=600");
                Http.get(CLIENT, proxy.url() + p);
            }
            Http.get(CLIENT, proxy.url() + "/img/a.png");
            HttpResponse<String> stats = admin(proxy, "GET", "/admin/cache/stats", "s3cret");
            assertEquals(200, stats.statusCode());
            assertTrue(stats.body().contains("\"entries\":3"), stats.body());
            assertTrue(stats.body().contains("\"hit_rate\":0.2500"), stats.body());
            assertTrue(stats.body().contains("\"miss_rate\":0.7500"), stats.body());
            assertTrue(stats.body().contains("\"size_bytes\":"), stats.body());
            assertTrue(stats.body().contains("\"evictions\":0"), stats.body());

            HttpResponse<String> purge = admin(proxy, "DELETE", "/admin/cache?pattern=127.0.0.1/img/*", "s3cret");
            assertEquals(200, purge.statusCode());
            assertEquals("{\"invalidated\":2,\"remaining\":1}", purge.body().trim());
            assertEquals("MISS", status(Http.get(CLIENT, proxy.url() + "/img/a.png")));
            assertEquals("HIT", status(Http.get(CLIENT, proxy.url() + "/css/site.css")));

            HttpResponse<String> clear = admin(proxy, "DELETE", "/admin/cache", "s3cret");
            assertEquals("{\"invalidated\":2,\"remaining\":0}", clear.body().trim());
            assertEquals("MISS", status(Http.get(CLIENT, proxy.url() + "/css/site.css")));

            HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/admin/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("\"gatehouse.cache.hits\""), metrics.body());
            assertTrue(metrics.body().contains("\"gatehouse.cache.entries\""));
        }
    }

    @Test
    void wrongOrMissingTokenIs401AndNoConfiguredTokenIs403() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "admin.token", "s3cret"))
        {
            assertEquals(401, admin(proxy, "GET", "/admin/cache/stats", null).statusCode());
            assertEquals(401, admin(proxy, "DELETE", "/admin/cache", "wrong").statusCode());
            HttpResponse<String> r = admin(proxy, "DELETE", "/admin/cache", null);
            assertTrue(r.body().contains("\"code\":\"UNAUTHORIZED\""), r.body());
        }
        try (Gatehouse proxy = Gatehouse.start("cache.enabled", "true"))
        {
            assertEquals(403, admin(proxy, "GET", "/admin/cache/stats", "anything").statusCode());
            assertEquals(403, admin(proxy, "DELETE", "/admin/cache", "anything").statusCode());
        }
    }
}
