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
        return body(code, message, requestId, null);
    }

    /**
     * The body with a {@code reason} after the message when a policy refused the request: the
     * machine-readable word that names the rule ({@code acl}, {@code ssrf}, {@code domain},
     * {@code connect-port}, ...), the same as in the security log line. Null leaves it out.
     */
    public static String body(ErrorCode code, String message, String requestId, String reason)
    {
        StringBuilder b = new StringBuilder(180);
        b.append("{\"error\":{\"code\":\"").append(code.name()).append("\",\"message\":");
        Json.appendQuoted(b, message);
        if (reason != null)
        {
            b.append(",\"reason\":");
            Json.appendQuoted(b, reason);
        }
        b.append(",\"request_id\":");
        Json.appendQuoted(b, requestId);
        b.append(",\"timestamp\":\"").append(Instant.now()).append("\"}}\n");
        return b.toString();
    }

    public static byte[] bytes(ErrorCode code, String message, String requestId)
    {
        return bytes(code, message, requestId, null);
    }

    public static byte[] bytes(ErrorCode code, String message, String requestId, String reason)
    {
        return body(code, message, requestId, reason).getBytes(StandardCharsets.UTF_8);
    }
}
