package dev.gatehouse.http;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The JSON error body of every response the proxy makes itself:
 * {@code {"error":{"code":"…","message":"…","request_id":"…","timestamp":"…"}}}.
 */
public final class ErrorResponse
{
    public static final String CONTENT_TYPE = ErrorBody.CONTENT_TYPE;

    private ErrorResponse()
    {
    }

    public static String body(ErrorCode code, String message, String requestId)
    {
        return ErrorBody.body(code, message, requestId);
    }

    public static byte[] bytes(ErrorCode code, String message, String requestId)
    {
        return ErrorBody.bytes(code, message, requestId);
    }

    /**
     * Writes the error on a servlet response that is not committed yet. Headers the proxy set
     * itself ({@link OwnHeaders}: request id, proxy id, security headers) are kept; everything
     * else, such as headers copied from an upstream response, is reset.
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
        throws IOException
    {
        send(request, response, code, message, null);
    }

    /** {@link #send(HttpServletRequest, HttpServletResponse, ErrorCode, String)} for a policy refusal, with its reason. */
    public static void send(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message, String reason)
        throws IOException
    {
        String requestId = RequestIds.of(request);
        response.reset();
        OwnHeaders.restore(request, response);
        response.setStatus(code.status());
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        byte[] body = ErrorBody.bytes(code, message, requestId, reason);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
