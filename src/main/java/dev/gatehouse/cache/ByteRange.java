package dev.gatehouse.cache;

import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.HttpFields;

/**
 * A single byte range a stored full (200) response can answer (RFC 9110 §14): {@code bytes=a-b},
 * {@code bytes=a-} or {@code bytes=-n}. Anything else (other units, several ranges, bad syntax) is
 * left to the origin. An {@code If-Range} that does not match the stored validator asks for the
 * whole response.
 *
 * @param start          first byte (inclusive)
 * @param end            last byte (inclusive)
 * @param unsatisfiable  no byte of the range exists: 416
 * @param whole          If-Range did not match: answer 200 with the whole body
 */
public record ByteRange(long start, long end, boolean unsatisfiable, boolean whole)
{
    static final ByteRange WHOLE = new ByteRange(0, -1, false, true);
    static final ByteRange UNSATISFIABLE = new ByteRange(0, -1, true, false);

    /** The range to answer from {@code stored} (whose body has {@code length} bytes), or null to ask the origin. */
    public static ByteRange of(String range, String ifRange, HttpFields stored, long length)
    {
        if (range == null)
            return null;
        String r = range.trim();
        if (!r.regionMatches(true, 0, "bytes=", 0, 6))
            return null;
        String spec = r.substring(6).trim();
        if (spec.indexOf(',') >= 0)
            return null;
        int dash = spec.indexOf('-');
        if (dash < 0)
            return null;
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (!digits(first) || (!last.isEmpty() && !digits(last)) || (first.isEmpty() && last.isEmpty()))
            return null;
        if (ifRange != null && !ifRangeMatches(ifRange.trim(), stored))
            return WHOLE;
        if (first.isEmpty())
        {
            long suffix = Long.parseLong(last);
            if (suffix == 0 || length == 0)
                return UNSATISFIABLE;
            return new ByteRange(Math.max(0, length - suffix), length - 1, false, false);
        }
        long a = Long.parseLong(first);
        long b = last.isEmpty() ? length - 1 : Math.min(Long.parseLong(last), length - 1);
        if (!last.isEmpty() && Long.parseLong(last) < a)
            return null;
        if (a >= length)
            return UNSATISFIABLE;
        return new ByteRange(a, b, false, false);
    }

    /** If-Range: a strong ETag equal to the stored one, or exactly the stored Last-Modified date. */
    static boolean ifRangeMatches(String ifRange, HttpFields stored)
    {
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/"))
        {
            String etag = stored.get("ETag");
            return etag != null && Conditional.strongMatch(ifRange, etag);
        }
        String lm = stored.get("Last-Modified");
        long date = DateParser.parseDate(ifRange);
        return lm != null && date >= 0 && date == DateParser.parseDate(lm);
    }

    private static boolean digits(String s)
    {
        if (s.length() > 18)
            return false;
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) < '0' || s.charAt(i) > '9')
                return false;
        }
        return true;
    }

    public long length()
    {
        return end - start + 1;
    }
}
