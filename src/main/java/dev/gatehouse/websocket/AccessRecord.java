package dev.gatehouse.websocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

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
        ACCESS.info(message, kv("method", "GET"), kv("url", url), kv("status", 101), kv("duration_ms", ms),
            kv("request_id", requestId),
            kv("trace_id", traceId),
            kv("client_ip", clientIp),
            kv("bytes_sent", bytesSent),
            kv("bytes_received", bytesReceived),
            kv("route", route),
            kv("upstream", upstream == null ? "-" : upstream),
            kv("user_agent", userAgent),
            kv("websocket", true),
            kv("close_code", closeCode),
            kv("close_initiator", initiator),
            kv("messages_sent", messagesSent),
            kv("messages_received", messagesReceived));
    }
}
