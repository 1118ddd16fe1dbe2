package dev.gatehouse.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context: a well-formed incoming {@code traceparent} is propagated unchanged (with its
 * {@code tracestate}); without one (or with a malformed one) the proxy starts a trace. The trace
 * id goes into the access log.
 */
public final class TraceContext
{
    public static final String TRACEPARENT = "traceparent";
    /** Request attribute: the trace id (32 hex). */
    public static final String TRACE_ID_ATTRIBUTE = "dev.gatehouse.traceId";
    /** Request attribute: a traceparent the proxy created, to send upstream. */
    public static final String CREATED_ATTRIBUTE = "dev.gatehouse.traceparent";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceContext()
    {
    }

    /** The trace id of a valid {@code traceparent} (version 00 format), or null. */
    public static String traceId(String traceparent)
    {
        if (traceparent == null || traceparent.length() < 55)
            return null;
        String v = traceparent.trim();
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-')
            return null;
        if (!hex(v, 0, 2) || v.startsWith("ff") || !hex(v, 3, 35) || !hex(v, 36, 52) || !hex(v, 53, 55))
            return null;
        if (v.length() > 55 && (v.startsWith("00") || v.charAt(55) != '-'))
            return null;
        String traceId = v.substring(3, 35);
        if (traceId.equals("00000000000000000000000000000000") || v.substring(36, 52).equals("0000000000000000"))
            return null;
        return traceId;
    }

    private static boolean hex(String s, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                return false;
        }
        return true;
    }

    /** A new sampled {@code traceparent}: 00-<32 hex trace id>-<16 hex span id>-01. */
    public static String newTraceparent()
    {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[55];
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        fill(out, 3, 35, r);
        out[35] = '-';
        fill(out, 36, 52, r);
        out[52] = '-';
        out[53] = '0';
        out[54] = '1';
        return new String(out);
    }

    private static void fill(char[] out, int from, int to, ThreadLocalRandom r)
    {
        long bits = 0;
        int left = 0;
        for (int i = from; i < to; i++)
        {
            if (left == 0)
            {
                bits = r.nextLong();
                left = 16;
            }
            out[i] = HEX[(int)(bits & 15)];
            bits >>>= 4;
            left--;
        }
        if (out[from] == '0' && allZero(out, from, to))
            out[to - 1] = '1';
    }

    private static boolean allZero(char[] out, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (out[i] != '0')
                return false;
        }
        return true;
    }
}
