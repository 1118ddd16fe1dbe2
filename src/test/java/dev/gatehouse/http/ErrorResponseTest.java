package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ErrorResponseTest
{
    private static final Pattern SHAPE = Pattern.compile(
        "\\{\"error\":\\{\"code\":\"([A-Z_]+)\",\"message\":(\"(?:[^\"\\\\]|\\\\.)*\"),"
            + "\"request_id\":(null|\"[^\"]*\"),\"timestamp\":\"([^\"]+)\"}}\n");

    private static Matcher shape(String body)
    {
        Matcher m = SHAPE.matcher(body);
        assertTrue(m.matches(), body);
        return m;
    }

    @Test
    void bodyHasErrorObjectWithCodeMessageRequestIdAndTimestamp()
    {
        Matcher m = shape(ErrorResponse.body(ErrorCode.NO_ROUTE, "no route for this request", "abc123"));
        assertEquals("NO_ROUTE", m.group(1));
        assertEquals("\"no route for this request\"", m.group(2));
        assertEquals("\"abc123\"", m.group(3));
    }

    @Test
    void aRefusalNamesItsReasonAfterTheMessage()
    {
        String body = ErrorBody.body(ErrorCode.DESTINATION_FORBIDDEN, "not reachable", "r1", "ssrf");
        assertTrue(body.startsWith("{\"error\":{\"code\":\"DESTINATION_FORBIDDEN\",\"message\":\"not reachable\",\"reason\":\"ssrf\","
            + "\"request_id\":\"r1\",\"timestamp\":\""), body);
        assertTrue(ErrorBody.body(ErrorCode.ACL_DENIED, "m", "r", "a\"b").contains("\"reason\":\"a\\\"b\""), "escaped like every value");
        assertEquals(ErrorBody.body(ErrorCode.NO_ROUTE, "m", "r").replaceAll("\"timestamp\":\"[^\"]*\"", ""),
            ErrorBody.body(ErrorCode.NO_ROUTE, "m", "r", null).replaceAll("\"timestamp\":\"[^\"]*\"", ""), "no reason, no field");
        shape(ErrorBody.body(ErrorCode.NO_ROUTE, "m", "r", null));
    }

    @Test
    void timestampIsCurrentIsoInstant()
    {
        Instant before = Instant.now();
        Matcher m = shape(ErrorResponse.body(ErrorCode.INTERNAL, "x", "r"));
        Instant stamp = Instant.parse(m.group(4));
        Instant after = Instant.now();
        assertFalse(stamp.isBefore(before.minus(Duration.ofMillis(1))), stamp + " < " + before);
        assertFalse(stamp.isAfter(after), stamp + " > " + after);
    }

    @Test
    void missingRequestIdIsJsonNull()
    {
        Matcher m = shape(ErrorResponse.body(ErrorCode.BAD_REQUEST, "bad", null));
        assertEquals("null", m.group(3));
    }

    @Test
    void messageIsEscaped()
    {
        String body = ErrorResponse.body(ErrorCode.BAD_REQUEST, "bad \"host\" <b>\n\u0001", "r");
        Matcher m = shape(body);
        assertEquals("\"bad \\\"host\\\" \\u003cb\\u003e\\n\\u0001\"", m.group(2));
        assertFalse(body.contains("<"), body);
        assertEquals(1, body.chars().filter(c -> c == '\n').count(), "only the final newline is raw");
    }

    @Test
    void everyCodeProducesTheSameShape()
    {
        for (ErrorCode code : ErrorCode.values())
            assertEquals(code.name(), shape(ErrorResponse.body(code, "m", "r")).group(1));
    }

    @Test
    void bytesAreUtf8OfTheBody()
    {
        byte[] bytes = ErrorResponse.bytes(ErrorCode.FORBIDDEN, "caf\u00e9", "r");
        String text = new String(bytes, StandardCharsets.UTF_8);
        Matcher m = shape(text);
        assertEquals("\"caf\u00e9\"", m.group(2));
        assertArrayEquals(("\"caf\u00e9\"").getBytes(StandardCharsets.UTF_8), m.group(2).getBytes(StandardCharsets.UTF_8));
        assertTrue(bytes.length > text.length(), "é takes two bytes in UTF-8");
    }

    @Test
    void contentTypeIsJson()
    {
        assertEquals("application/json", ErrorResponse.CONTENT_TYPE);
    }

    @Test
    void codesCarryTheirHttpStatus()
    {
        assertEquals(404, ErrorCode.NO_ROUTE.status());
        assertEquals(502, ErrorCode.UPSTREAM_UNAVAILABLE.status());
        assertEquals(504, ErrorCode.UPSTREAM_TIMEOUT.status());
        assertEquals(508, ErrorCode.LOOP_DETECTED.status());
        assertEquals(ErrorCode.URI_TOO_LONG, ErrorCode.forStatus(414));
        assertEquals(ErrorCode.INTERNAL, ErrorCode.forStatus(599));
        assertEquals(ErrorCode.BAD_REQUEST, ErrorCode.forStatus(418));
    }
}
