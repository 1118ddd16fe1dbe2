package dev.gatehouse.observe;

import java.util.Locale;
import java.util.Set;

import jakarta.servlet.ServletRequest;

/**
 * The access log's shared pieces: its logger name, the hook that writes a request's line early,
 * and query redaction (also used for WebSocket session lines). The filter that writes the lines is
 * {@code filter.AccessLogFilter}.
 */
public final class AccessLog
{
    public static final String LOGGER = "gatehouse.access";

    /**
     * Request attribute: a {@link Runnable} that writes the request's access-log line and metrics now
     * (at most once), for an exchange about to end by dropping the client connection.
     */
    public static final String RECORD_NOW_ATTRIBUTE = "dev.gatehouse.accessLog.recordNow";

    private AccessLog()
    {
    }

    /** Writes the access-log line of this request now, if the access log filter saw it; later calls do nothing. */
    public static void recordNow(ServletRequest request)
    {
        if (request.getAttribute(RECORD_NOW_ATTRIBUTE) instanceof Runnable recordOnce)
            recordOnce.run();
    }

    /** {@code ?a=1&token=x} with {@code token} in the redact list becomes {@code ?a=1&token=[redacted]}. */
    public static String redactQuery(String query, Set<String> redact)
    {
        if (query == null)
            return "";
        if (redact.isEmpty())
            return "?" + query;
        StringBuilder b = new StringBuilder(query.length() + 1).append('?');
        int from = 0;
        while (from <= query.length())
        {
            int amp = query.indexOf('&', from);
            int end = amp < 0 ? query.length() : amp;
            String pair = query.substring(from, end);
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (from > 0)
                b.append('&');
            if (eq >= 0 && redact.contains(name.toLowerCase(Locale.ROOT)))
                b.append(name).append("=[redacted]");
            else
                b.append(pair);
            if (amp < 0)
                break;
            from = amp + 1;
        }
        return b.toString();
    }
}
