package dev.gatehouse.cache;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hits are compressed for the client like misses: the cache keeps the upstream's identity bytes, each client gets its coding. */
class CacheCompressionIT
{
    static final HttpClient CLIENT = Http.direct();

    private static HttpResponse<byte[]> get(Gatehouse proxy, String path, String acceptEncoding) throws Exception
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.url() + path));
        if (acceptEncoding != null)
            b.header("Accept-Encoding", acceptEncoding);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void hitsAreCompressedPerClient() throws Exception
    {
        String text = "All work and no play makes Jack a dull boy. ".repeat(2500);
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url()))
        {
            origin.on("/doc.txt", 200, text, "Cache-Control", "max-age=600", "Content-Type", "text/plain; charset=utf-8",
                "ETag", "\"v1\"");
            HttpResponse<byte[]> miss = get(proxy, "/doc.txt", "gzip");
            assertEquals("MISS", miss.headers().firstValue("X-Cache-Status").orElse(""));
            assertEquals("gzip", miss.headers().firstValue("Content-Encoding").orElse(""));

            HttpResponse<byte[]> hit = get(proxy, "/doc.txt", "gzip");
            assertEquals("HIT", hit.headers().firstValue("X-Cache-Status").orElse(""));
            assertEquals("gzip", hit.headers().firstValue("Content-Encoding").orElse(""), "a hit is compressed like a miss");
            assertTrue(hit.headers().firstValue("Vary").orElse("").contains("Accept-Encoding"));
            assertEquals("\"v1-gzip\"", hit.headers().firstValue("ETag").orElse(""), "the gzip body's own strong ETag, as on a miss");
            assertEquals(Long.toString(hit.body().length), hit.headers().firstValue("Content-Length").orElse(""));
            assertTrue(hit.body().length < text.length() / 10, "compressed: " + hit.body().length);
            assertEquals(text, new String(new GZIPInputStream(new ByteArrayInputStream(hit.body())).readAllBytes(), StandardCharsets.UTF_8));

            HttpResponse<byte[]> br = get(proxy, "/doc.txt", "br;q=1, gzip;q=0.5");
            assertEquals("HIT", br.headers().firstValue("X-Cache-Status").orElse(""));
            assertEquals("br", br.headers().firstValue("Content-Encoding").orElse(""));
            assertEquals("\"v1-br\"", br.headers().firstValue("ETag").orElse(""));
            assertEquals(text, new String(new BrotliInputStream(new ByteArrayInputStream(br.body())).readAllBytes(), StandardCharsets.UTF_8));

            HttpResponse<byte[]> identity = get(proxy, "/doc.txt", null);
            assertEquals("HIT", identity.headers().firstValue("X-Cache-Status").orElse(""));
            assertTrue(identity.headers().firstValue("Content-Encoding").isEmpty(), "no Accept-Encoding: the stored identity body");
            assertEquals(text, new String(identity.body(), StandardCharsets.UTF_8));
            assertEquals("\"v1\"", identity.headers().firstValue("ETag").orElse(""));
            assertEquals(1, origin.count("/doc.txt"), "one origin request for every coding");
        }
    }

    @Test
    void aHitBelowTheMinimumSizeStaysIdentityLikeTheMiss() throws Exception
    {
        // compression.min-size (1KB) applies to hits too: the stored body's length decides, as the
        // upstream's Content-Length did for the miss
        String text = "small and cacheable\n".repeat(3);
        try (CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "app", "routes.app.targets", origin.url()))
        {
            origin.on("/small.txt", 200, text, "Cache-Control", "max-age=600", "Content-Type", "text/plain", "ETag", "\"s1\"");
            HttpResponse<byte[]> miss = get(proxy, "/small.txt", "gzip, br");
            HttpResponse<byte[]> hit = get(proxy, "/small.txt", "gzip, br");
            assertEquals("MISS", miss.headers().firstValue("X-Cache-Status").orElse(""));
            assertEquals("HIT", hit.headers().firstValue("X-Cache-Status").orElse(""));
            for (HttpResponse<byte[]> r : List.of(miss, hit))
            {
                String which = r.headers().firstValue("X-Cache-Status").orElse("");
                assertTrue(r.headers().firstValue("Content-Encoding").isEmpty(), which + ": below min-size, not compressed");
                assertTrue(r.headers().firstValue("Vary").isEmpty(), which + ": no Vary for a response never compressed");
                assertEquals("\"s1\"", r.headers().firstValue("ETag").orElse(""), which);
                assertEquals(text, new String(r.body(), StandardCharsets.UTF_8), which);
                assertEquals(Integer.toString(text.length()), r.headers().firstValue("Content-Length").orElse(""), which);
            }
        }
    }
}
