package dev.gatehouse.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gatehouse.http.Json;

/**
 * One event of a run: {@code start}, {@code stdout}, {@code stderr}, {@code exit} (or a
 * {@code heartbeat} on a silent stream). Output events keep the raw bytes (cut at UTF-8 character
 * boundaries by {@link Utf8Boundary}) so each client gets them as text or base64, as NDJSON or SSE.
 *
 * @param type   the event type
 * @param data   output bytes for stdout/stderr, else null
 * @param fields the other JSON members, already encoded ({@code "run_id":"…","pid":1}), or empty
 */
record Event(String type, byte[] data, String fields)
{
    static final Event HEARTBEAT = new Event("heartbeat", null, "");

    /** The wire formats a client can ask for. */
    enum Format
    {
        NDJSON("application/x-ndjson"), SSE("text/event-stream");

        final String contentType;

        Format(String contentType)
        {
            this.contentType = contentType;
        }
    }

    static Event output(String stream, byte[] data)
    {
        return new Event(stream, data, "");
    }

    static Event start(String runId, long pid)
    {
        return new Event("start", null, "\"run_id\":" + Json.quote(runId) + ",\"pid\":" + pid);
    }

    static Event exit(Integer code, long durationMs, String reason)
    {
        return new Event("exit", null, "\"code\":" + code + ",\"duration_ms\":" + durationMs + ",\"reason\":" + Json.quote(reason));
    }

    /** Bytes this event adds to the retained replay buffer. */
    int size()
    {
        return (data == null ? 0 : data.length) + fields.length() + 16;
    }

    /** The JSON object of this event, one line. */
    String json(boolean base64)
    {
        StringBuilder b = new StringBuilder(64 + (data == null ? fields.length() : data.length * 2));
        b.append("{\"type\":\"").append(type).append('"');
        if (data != null)
        {
            b.append(",\"data\":");
            if (base64)
                b.append('"').append(Base64.getEncoder().encodeToString(data)).append('"');
            else
                Json.appendQuoted(b, new String(data, StandardCharsets.UTF_8)); // malformed input becomes U+FFFD
        }
        if (!fields.isEmpty())
            b.append(',').append(fields);
        return b.append('}').toString();
    }

    byte[] encode(Format format, boolean base64)
    {
        String s;
        if (format == Format.SSE)
            s = this == HEARTBEAT ? ": heartbeat\n\n" : "event: " + type + "\ndata: " + json(base64) + "\n\n";
        else
            s = json(base64) + "\n";
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
