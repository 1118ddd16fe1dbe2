package dev.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON error body, without the servlet API: also used at server level (the CONNECT handler in
 * a standalone Jetty base, where the servlet API is not on the class path).
 */
public final class ErrorBody
{
    public static final String CONTENT_TYPE = "application/json";

    private ErrorBody()
    {
    }

    public static String body(ErrorCode code, String message, String requestId)
    {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"error\":{\"code\":\"").append(code.name()).append("\",\"message\":");
        Json.appendQuoted(b, message);
        b.append(",\"request_id\":");
        Json.appendQuoted(b, requestId);
        b.append(",\"timestamp\":\"").append(Instant.now()).append("\"}}\n");
        return b.toString();
    }

    public static byte[] bytes(ErrorCode code, String message, String requestId)
    {
        return body(code, message, requestId).getBytes(StandardCharsets.UTF_8);
    }
}
