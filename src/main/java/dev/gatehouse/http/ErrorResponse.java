package dev.gatehouse.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The JSON error body of every response the proxy makes itself:
 * {@code {"error":{"code":"…","message":"…","request_id":"…","timestamp":"…"}}}.
 */
public final class ErrorResponse
{
    public static final String CONTENT_TYPE = "application/json";

    private ErrorResponse()
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

    /**
     * Writes the error on a servlet response that is not committed yet. Headers the proxy set
     * itself ({@link OwnHeaders}: request id, proxy id, security headers) are kept; everything
     * else, such as headers copied from an upstream response, is reset.
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
        throws IOException
    {
        String requestId = RequestIds.of(request);
        response.reset();
        OwnHeaders.restore(request, response);
        response.setStatus(code.status());
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        byte[] body = bytes(code, message, requestId);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
