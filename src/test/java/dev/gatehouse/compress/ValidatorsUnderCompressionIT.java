package dev.gatehouse.compress;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.Decoding;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validators with compression on (the default) behave as with it off, for identity, gzip and
 * brotli clients, through the cache and without it: conditional requests with the ETag the client
 * got, 304s that carry that ETag (and no identity Content-Length), {@code If-Match}, ranges, and
 * 304s that update the cache's stored headers. The origin evaluates preconditions itself, as a
 * real server does (strong ETag "v1", weak comparison for If-None-Match, strong for If-Match and
 * If-Range).
 */
class ValidatorsUnderCompressionIT
{
    private static final byte[] BODY = Origin.text(20_000);
    private static final String[] CODINGS = {"identity", "gzip", "br"};

    static CacheOrigin origin;
    static final AtomicInteger revision = new AtomicInteger();
    static Gatehouse compressing;
    static Gatehouse plain;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception
    {
        origin = new CacheOrigin();
        origin.on("/doc", ValidatorsUnderCompressionIT::answer);
        origin.on("/cached/doc", ValidatorsUnderCompressionIT::answer);
        compressing = proxy("true");
        plain = proxy("false");
    }

    private static Gatehouse proxy(String compression) throws Exception
    {
        return Gatehouse.start("compression.enabled", compression, "cache.enabled", "true", "cache.include", "/cached/*",
            "routes", "site", "routes.site.match.path", "/", "routes.site.targets", origin.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        compressing.close();
        plain.close();
        origin.close();
    }

    /** What a server with a strong ETag answers; each answer carries the revision, so 304 updates show. */
    private static CacheOrigin.Reply answer(HttpFields request)
    {
        String rev = Integer.toString(revision.incrementAndGet());
        String[] common = {"ETag", "\"v1\"", "Cache-Control", "no-cache", "X-Rev", rev};
        String ifMatch = request.get("If-Match");
        if (ifMatch != null && !ifMatch.trim().equals("*") && !Arrays.asList(ifMatch.split("\\s*,\\s*")).contains("\"v1\""))
            return CacheOrigin.Reply.of(412, "", common);
        String inm = request.get("If-None-Match");
        if (inm != null && (inm.contains("\"v1\"") || inm.trim().equals("*")))
            // many servers send the identity length on a 304 (RFC 9110 allows the selected representation's)
            return new CacheOrigin.Reply(304, headers(common, "Content-Length", Integer.toString(BODY.length)), new byte[0]);
        String range = request.get("Range");
        String ifRange = request.get("If-Range");
        if (range != null && (ifRange == null || ifRange.trim().equals("\"v1\"")))
        {
            String[] se = range.substring("bytes=".length()).split("-");
            int s = Integer.parseInt(se[0]);
            int e = Integer.parseInt(se[1]);
            return new CacheOrigin.Reply(206, headers(common, "Content-Type", "application/json",
                "Content-Range", "bytes " + s + "-" + e + "/" + BODY.length), Arrays.copyOfRange(BODY, s, e + 1));
        }
        return new CacheOrigin.Reply(200, headers(common, "Content-Type", "application/json"), BODY);
    }

    private static Map<String, String> headers(String[] common, String... more)
    {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < common.length; i += 2)
            h.put(common[i], common[i + 1]);
        for (int i = 0; i < more.length; i += 2)
            h.put(more[i], more[i + 1]);
        return h;
    }

    private static HttpResponse<byte[]> get(Gatehouse proxy, String path, String coding, String... headers) throws Exception
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(proxy.url() + path));
        if (!coding.equals("identity"))
            b.header("Accept-Encoding", coding);
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] decoded(HttpResponse<byte[]> r) throws Exception
    {
        String ce = r.headers().firstValue("Content-Encoding").orElse("identity");
        return switch (ce)
        {
            case "gzip" -> Decoding.gunzip(r.body());
            case "br" -> Decoding.unbrotli(r.body());
            default -> r.body();
        };
    }

    /**
     * One client's conversation, reduced to what it observes (statuses, whether the ETag is the
     * one it got, bodies as decoded, the revision the cache shows). Equal lists: equal behaviour.
     */
    private static List<String> conversation(Gatehouse proxy, String path, String coding) throws Exception
    {
        List<String> seen = new ArrayList<>();
        HttpResponse<byte[]> full = get(proxy, path, coding);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        assertFalse(etag.startsWith("W/"), "a strong ETag: " + etag);
        assertArrayEquals(BODY, decoded(full));
        seen.add("full " + full.statusCode());

        HttpResponse<byte[]> notModified = get(proxy, path, coding, "If-None-Match", etag);
        seen.add("if-none-match " + notModified.statusCode() + " same-etag=" + etag.equals(notModified.headers().firstValue("ETag").orElse(null)));
        if (!etag.equals("\"v1\""))
            assertNull(notModified.headers().firstValue("Content-Length").filter(v -> !v.equals("0")).orElse(null),
                "no identity Content-Length on a 304 for a compressed body: " + notModified.headers().map());

        HttpResponse<byte[]> other = get(proxy, path, coding, "If-None-Match", "\"v0\"");
        seen.add("if-none-match-other " + other.statusCode());
        assertArrayEquals(BODY, decoded(other));

        HttpResponse<byte[]> matched = get(proxy, path, coding, "If-Match", etag);
        seen.add("if-match " + matched.statusCode());
        HttpResponse<byte[]> mismatched = get(proxy, path, coding, "If-Match", "\"v0\"");
        seen.add("if-match-other " + mismatched.statusCode());

        HttpResponse<byte[]> range = get(proxy, path, coding, "Range", "bytes=0-99");
        seen.add("range " + range.statusCode() + " " + new String(decoded(range), 0, Math.min(100, decoded(range).length)));

        // a client resuming a download of the representation it holds
        HttpResponse<byte[]> resumed = get(proxy, path, coding, "Range", "bytes=100-199", "If-Range", etag);
        byte[] r = decoded(resumed);
        if (resumed.statusCode() == 206)
            assertArrayEquals(Arrays.copyOfRange(BODY, 100, 200), r, "the range of the representation the client holds");
        else
            assertArrayEquals(BODY, r, "or the whole of it");

        // each upstream 304 carries a newer X-Rev: a stored response shows the newest after revalidation
        HttpResponse<byte[]> again = get(proxy, path, coding);
        HttpResponse<byte[]> latest = get(proxy, path, coding);
        seen.add("revision-advances " + (Integer.parseInt(latest.headers().firstValue("X-Rev").orElse("0"))
            > Integer.parseInt(again.headers().firstValue("X-Rev").orElse("0"))));
        seen.add("etag-stable " + etag.equals(latest.headers().firstValue("ETag").orElse(null)));
        return seen;
    }

    @Test
    void conditionalRequestsBehaveAsWithCompressionOffWithoutTheCache() throws Exception
    {
        for (String coding : CODINGS)
            assertEquals(conversation(plain, "/doc", coding), conversation(compressing, "/doc", coding), coding);
    }

    @Test
    void conditionalRequestsAndStoredHeaderUpdatesBehaveAsWithCompressionOffThroughTheCache() throws Exception
    {
        for (String coding : CODINGS)
        {
            List<String> off = conversation(plain, "/cached/doc", coding);
            List<String> on = conversation(compressing, "/cached/doc", coding);
            assertEquals(off, on, coding);
            assertTrue(on.contains("if-none-match 304 same-etag=true"), on.toString());
            assertTrue(on.contains("if-match 200"), on.toString());
            assertTrue(on.contains("revision-advances true"), on.toString());
        }
    }

    /** A second, independent client: HTTP/1.1 written by hand, as curl or a browser cache would send it. */
    @Test
    void aHandWrittenRequestRevalidatesTheBrotliBodyThroughTheCache() throws Exception
    {
        String request = "GET /cached/doc HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br\r\nConnection: close\r\n";
        RawHttp.Reply full = RawHttp.exchange(compressing.port(), request + "\r\n");
        assertEquals(200, full.status());
        assertEquals("br", full.header("Content-Encoding"));
        assertEquals("\"v1-br\"", full.header("ETag"));
        RawHttp.Reply notModified = RawHttp.exchange(compressing.port(), request + "If-None-Match: \"v1-br\"\r\n\r\n");
        assertEquals(304, notModified.status(), notModified.headers().toString());
        assertEquals("\"v1-br\"", notModified.header("ETag"));
        // the identity body's length (20000) would be wrong for the brotli body; Jetty writes 0 on every 304
        assertTrue(notModified.header("Content-Length") == null || notModified.header("Content-Length").equals("0"),
            "no identity Content-Length: " + notModified.headers());
        assertTrue(notModified.header("Vary").contains("Accept-Encoding"));
    }

    @Test
    void aCompressedBodyHasAStrongETagNamingItsCoding() throws Exception
    {
        assertEquals("\"v1-gzip\"", get(compressing, "/doc", "gzip").headers().firstValue("ETag").orElse(null));
        assertEquals("\"v1-br\"", get(compressing, "/doc", "br").headers().firstValue("ETag").orElse(null));
        assertEquals("\"v1\"", get(compressing, "/doc", "identity").headers().firstValue("ETag").orElse(null));
        get(compressing, "/doc", "gzip", "If-None-Match", "\"v1-gzip\"", "If-Match", "\"v1-gzip\"");
        HttpFields upstream = origin.lastRequest("/doc");
        assertEquals("\"v1\"", upstream.get("If-None-Match"), "the upstream compares its own tag");
        assertEquals("\"v1\"", upstream.get("If-Match"));
    }
}
