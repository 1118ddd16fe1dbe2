package dev.gatehouse.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a query parameter from the raw query string. The servlet API's {@code getParameter}
 * would also read a form body, which a proxy must leave untouched for the upstream.
 */
public final class QueryParams
{
    private QueryParams()
    {
    }

    /** The decoded value of the first {@code name=value} in the raw query, "" for a bare name, or null. */
    public static String first(String rawQuery, String name)
    {
        if (rawQuery == null || rawQuery.isEmpty())
            return null;
        int from = 0;
        int length = rawQuery.length();
        while (from < length)
        {
            int amp = rawQuery.indexOf('&', from);
            int end = amp < 0 ? length : amp;
            int eq = rawQuery.indexOf('=', from);
            int nameEnd = eq < 0 || eq > end ? end : eq;
            if (decode(rawQuery.substring(from, nameEnd)).equals(name))
                return nameEnd == end ? "" : decode(rawQuery.substring(nameEnd + 1, end));
            from = end + 1;
        }
        return null;
    }

    private static String decode(String s)
    {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0)
            return s;
        try
        {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException x)
        {
            return s;
        }
    }
}
