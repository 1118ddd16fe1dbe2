package dev.gatehouse.websocket;

import dev.gatehouse.observe.LogFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the access log says of a proxied WebSocket session, captured at the handshake (the request
 * object is gone by the time the session closes) and written once at close, on the same logger
 * and with the same fields as every other access line, plus the close and message counts.
 * {@code bytes_sent} is what reached the client, {@code bytes_received} what the client sent.
 */
public record AccessRecord(String url, String requestId, Object traceId, String clientIp, String route, String upstream,
                           String userAgent, boolean json)
{
    private static final Logger ACCESS = LoggerFactory.getLogger("gatehouse.access");

    void log(long ms, int closeCode, String initiator, long bytesSent, long bytesReceived, long messagesSent, long messagesReceived)
    {
        if (!ACCESS.isInfoEnabled())
            return;
        String message = json ? "GET " + url + " 101 " + ms + "ms websocket close=" + closeCode
            : "GET " + url + " 101 " + ms + "ms websocket close=" + closeCode + " request_id=" + requestId + " route=" + route
                + " bytes_sent=" + bytesSent;
        ACCESS.info(message, LogFields.of("method", "GET", "url", url, "status", 101, "duration_ms", ms,
            "request_id", requestId,
            "trace_id", traceId,
            "client_ip", clientIp,
            "bytes_sent", bytesSent,
            "bytes_received", bytesReceived,
            "route", route,
            "upstream", upstream == null ? "-" : upstream,
            "user_agent", userAgent,
            "websocket", true,
            "close_code", closeCode,
            "close_initiator", initiator,
            "messages_sent", messagesSent,
            "messages_received", messagesReceived));
    }
}
