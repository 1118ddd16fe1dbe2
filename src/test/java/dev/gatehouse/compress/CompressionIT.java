package dev.gatehouse.compress;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import dev.gatehouse.support.Decoding;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses through the real proxy, compressed per client, still streaming. */
class CompressionIT
{
    static Origin origin;
    static Gatehouse proxy;
    static HttpClient client = Http.direct();

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("compress");
        proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void gzipsA100KbTextResponseByMoreThanSeventyPercent() throws Exception
    {
        HttpResponse<byte[]> r = get("/text?n=100000", "Accept-Encoding", "gzip");
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(null));
        assertEquals("\"v1-gzip\"", r.headers().firstValue("ETag").orElse(null));
        assertTrue(r.headers().firstValue("Content-Length").map(v -> Long.parseLong(v) == r.body().length).orElse(true),
            "no stale upstream Content-Length");
        assertTrue(r.body().length < 30_000, "compressed to " + r.body().length + " bytes");
        assertArrayEquals(Origin.text(100_000), Decoding.gunzip(r.body()));
    }

    @Test
    void prefersBrotliWhenTheClientAcceptsBoth() throws Exception
    {
        HttpResponse<byte[]> r = get("/text?n=100000", "Accept-Encoding", "gzip, deflate, br");
        assertEquals("br", r.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(r.body().length < 30_000, "compressed to " + r.body().length + " bytes");
        assertArrayEquals(Origin.text(100_000), Decoding.unbrotli(r.body()));
    }

    @Test
    void revalidatesTheCompressedVariantWithItsCodingETag() throws Exception
    {
        HttpResponse<byte[]> r = get("/text?n=100000", "Accept-Encoding", "gzip", "If-None-Match", "\"v1-gzip\"");
        assertEquals(304, r.statusCode());
        assertEquals("\"v1-gzip\"", r.headers().firstValue("ETag").orElse(null), "the ETag the client holds for the gzip body");
        assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(null));
        assertNull(r.headers().firstValue("Content-Encoding").orElse(null));
    }

    @Test
    void headGetsTheHeadersOfTheGetWithoutAnEncoding() throws Exception
    {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/text?n=5000"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, r.statusCode());
        assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(null));
        assertNull(r.headers().firstValue("Content-Encoding").orElse(null));
    }

    @Test
    void sendsIdentityWithVaryToClientsThatDoNotAccept() throws Exception
    {
        HttpResponse<byte[]> r = get("/text?n=5000");
        assertNull(r.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("Accept-Encoding", r.headers().firstValue("Vary").orElse(null));
        assertEquals("\"v1\"", r.headers().firstValue("ETag").orElse(null));
        assertArrayEquals(Origin.text(5000), r.body());
    }

    @Test
    void leavesSmallEncodedOrNoTransformResponsesAlone() throws Exception
    {
        HttpResponse<byte[]> small = get("/text?n=1000", "Accept-Encoding", "gzip");
        assertNull(small.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("1000", small.headers().firstValue("Content-Length").orElse(null));
        HttpResponse<byte[]> encoded = get("/text?n=5000&ce=x-custom", "Accept-Encoding", "gzip");
        assertEquals("x-custom", encoded.headers().firstValue("Content-Encoding").orElse(null));
        assertArrayEquals(Origin.text(5000), encoded.body());
        HttpResponse<byte[]> noTransform = get("/text?n=5000&cc=no-transform", "Accept-Encoding", "gzip");
        assertNull(noTransform.headers().firstValue("Content-Encoding").orElse(null));
        HttpResponse<byte[]> binary = get("/text?n=5000&ct=application/octet-stream", "Accept-Encoding", "gzip");
        assertNull(binary.headers().firstValue("Content-Encoding").orElse(null));
        assertNull(binary.headers().firstValue("Vary").orElse(null));
    }

    @Test
    void eachUpstreamChunkArrivesCompressedAndDecodableBeforeTheStreamEnds() throws Exception
    {
        streamsIncrementally("gzip", new Decoding.PartialGzip(), "s-gzip");
        streamsIncrementally("br", new Decoding.PartialBrotli(), "s-br");
    }

    /** Reads the raw body as it arrives; the origin holds its second event until the first was decoded. */
    private static void streamsIncrementally(String coding, Decoding.Partial decoder, String id) throws Exception
    {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/trickle?id=" + id))
            .header("Accept-Encoding", coding).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(coding, r.headers().firstValue("Content-Encoding").orElse(null));
        StringBuilder decoded = new StringBuilder();
        byte[] buffer = new byte[8192];
        try (InputStream in = r.body())
        {
            // the first event decodes completely while the origin is still holding the stream open
            while (!decoded.toString().contains("data: first\n\n"))
            {
                int n = in.read(buffer);
                assertTrue(n > 0, "stream ended before the first event decoded: " + decoded);
                decoded.append(decoder.feed(Arrays.copyOf(buffer, n)));
            }
            assertEquals("data: first\n\n", decoded.toString());
            origin.release(id);
            int n;
            while ((n = in.read(buffer)) > 0)
                decoded.append(decoder.feed(Arrays.copyOf(buffer, n)));
        }
        assertEquals("data: first\n\ndata: second\n\n", decoded.toString());
    }

    @Test
    void canBeTurnedOff() throws Exception
    {
        try (Gatehouse off = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "compression.enabled", "false"))
        {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(off.url() + "/text?n=5000"))
                .header("Accept-Encoding", "gzip, br").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertNull(r.headers().firstValue("Content-Encoding").orElse(null));
            assertNull(r.headers().firstValue("Vary").orElse(null));
            assertEquals(new String(Origin.text(5000), StandardCharsets.UTF_8), new String(r.body(), StandardCharsets.UTF_8));
        }
    }
}
