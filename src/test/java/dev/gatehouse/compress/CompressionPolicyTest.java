package dev.gatehouse.compress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.ProtocolConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressionPolicyTest
{
    private final CompressionPolicy policy = new CompressionPolicy(new ProtocolConfig.Compression(true, 1024,
        List.of("text/*", "application/json", "application/*+xml"), 5, 4));

    private CompressionPolicy.Decision decide(String method, int status, String... headers)
    {
        Map<String, String> map = new HashMap<>();
        map.put("Content-Type", "text/html; charset=utf-8");
        for (int i = 0; i < headers.length; i += 2)
            map.put(headers[i], headers[i + 1]);
        return policy.decide(method, "gzip, br", status, map::get, true);
    }

    @Test
    void compressesLargeEnoughCompressibleResponses()
    {
        CompressionPolicy.Decision d = decide("GET", 200, "Content-Length", "5000");
        assertTrue(d.vary());
        assertEquals(Coding.BROTLI, d.coding());
        assertTrue(decide("POST", 404, "Content-Type", "application/atom+xml", "Content-Length", "2048").compress());
    }

    @Test
    void decidesByTypeAloneWhenTheLengthIsUnknown()
    {
        assertTrue(decide("GET", 200).compress(), "chunked: no Content-Length");
        assertTrue(decide("GET", 200, "Content-Type", "text/event-stream").compress());
    }

    @Test
    void skipsSmallResponses()
    {
        assertFalse(decide("GET", 200, "Content-Length", "1023").vary());
        assertTrue(decide("GET", 200, "Content-Length", "1024").compress());
    }

    @Test
    void skipsIncompressibleTypes()
    {
        assertFalse(decide("GET", 200, "Content-Type", "image/png").vary());
        assertFalse(decide("GET", 200, "Content-Type", "application/octet-stream").vary());
        assertFalse(decide("GET", 200, "Content-Type", null).vary());
    }

    @Test
    void neverCompressesTwice()
    {
        assertFalse(decide("GET", 200, "Content-Encoding", "gzip").vary());
        assertTrue(decide("GET", 200, "Content-Encoding", "identity").compress());
    }

    @Test
    void respectsNoTransform()
    {
        assertFalse(decide("GET", 200, "Cache-Control", "public, No-Transform").vary());
    }

    @Test
    void skipsRangesAndBodilessResponses()
    {
        assertFalse(decide("GET", 206).vary());
        assertFalse(decide("GET", 200, "Content-Range", "bytes 0-99/5000").vary());
        assertFalse(decide("GET", 204).vary());
        assertFalse(decide("GET", 101).vary());
    }

    @Test
    void headAndNotModifiedVaryLikeTheGetWithoutAnEncoding()
    {
        CompressionPolicy.Decision head = decide("HEAD", 200, "Content-Length", "5000");
        assertTrue(head.vary());
        assertFalse(head.compress());
        CompressionPolicy.Decision notModified = decide("GET", 304, "Content-Type", null);
        assertTrue(notModified.vary(), "a client that accepts gzip may hold the compressed variant");
        assertFalse(notModified.compress());
        assertFalse(policy.decide("GET", null, 304, Map.<String, String>of()::get, true).vary());
    }

    @Test
    void varyWithoutCompressionForClientsThatDoNotAccept()
    {
        CompressionPolicy.Decision d = policy.decide("GET", null, 200, Map.of("Content-Type", "text/plain")::get, true);
        assertTrue(d.vary());
        assertFalse(d.compress());
    }

    @Test
    void disabledDoesNothing()
    {
        CompressionPolicy off = new CompressionPolicy(new ProtocolConfig.Compression(false, 0, List.of("text/*"), 5, 4));
        assertFalse(off.decide("GET", "gzip", 200, Map.of("Content-Type", "text/plain")::get, true).vary());
    }
}
