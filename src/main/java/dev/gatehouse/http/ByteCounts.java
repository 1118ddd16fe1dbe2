package dev.gatehouse.http;

import jakarta.servlet.ServletRequest;

/**
 * Body bytes of one exchange as the proxy moved them: received from the client, sent to it.
 * Each direction has one writer at a time; the access log reads them after the request completed.
 */
public final class ByteCounts
{
    static final String ATTRIBUTE = "dev.gatehouse.byteCounts";

    public volatile long received;
    public volatile long sent;
    /** The whole request body arrived from the client (set by the proxy's request body transformer). */
    public volatile boolean requestDone;

    /** The counts of this request, created on first use. */
    public static ByteCounts of(ServletRequest request)
    {
        Object value = request.getAttribute(ATTRIBUTE);
        if (value instanceof ByteCounts counts)
            return counts;
        ByteCounts counts = new ByteCounts();
        request.setAttribute(ATTRIBUTE, counts);
        return counts;
    }
}
