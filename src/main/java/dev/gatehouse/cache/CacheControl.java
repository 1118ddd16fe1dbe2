package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsed {@code Cache-Control} directives (RFC 9111 §5.2), request or response. Tolerant as the
 * RFC asks: directive names are case-insensitive, arguments may be tokens or quoted strings,
 * unknown directives are kept but mean nothing, and a malformed line never throws. The first
 * occurrence of a directive wins. A delta-seconds argument that is not a non-negative integer is
 * recorded as {@link #INVALID}; callers treat such freshness as already stale (RFC 9111 §4.2.1),
 * and a value too large for an int is capped at 2^31 (§1.2.2).
 */
public final class CacheControl
{
    /** A delta-seconds directive present with an unusable argument (or none). */
    public static final long INVALID = -2;
    /** A delta-seconds directive absent. */
    public static final long ABSENT = -1;
    /** RFC 9111 §1.2.2: larger delta-seconds values are taken as 2^31. */
    static final long DELTA_MAX = 2147483648L;

    public static final CacheControl EMPTY = new CacheControl(Map.of());

    private final Map<String, String> directives;

    private CacheControl(Map<String, String> directives)
    {
        this.directives = directives;
    }

    /** Parses every {@code Cache-Control} line of a message (null or empty: no directives). */
    public static CacheControl parse(List<String> lines)
    {
        if (lines == null || lines.isEmpty())
            return EMPTY;
        Map<String, String> d = new HashMap<>();
        for (String line : lines)
        {
            if (line != null)
                parseLine(line, d);
        }
        return d.isEmpty() ? EMPTY : new CacheControl(Collections.unmodifiableMap(d));
    }

    public static CacheControl parse(String line)
    {
        return line == null ? EMPTY : parse(List.of(line));
    }

    public static CacheControl parse(Enumeration<String> lines)
    {
        if (lines == null || !lines.hasMoreElements())
            return EMPTY;
        return parse(Collections.list(lines));
    }

    private static void parseLine(String s, Map<String, String> out)
    {
        int i = 0;
        int n = s.length();
        while (i < n)
        {
            while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t'))
                i++;
            int start = i;
            while (i < n && isTokenChar(s.charAt(i)))
                i++;
            String name = s.substring(start, i).toLowerCase(Locale.ROOT);
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t'))
                i++;
            String value = "";
            if (i < n && s.charAt(i) == '=')
            {
                i++;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t'))
                    i++;
                if (i < n && s.charAt(i) == '"')
                {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (i < n && s.charAt(i) != '"')
                    {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < n)
                            c = s.charAt(i++);
                        b.append(c);
                    }
                    i++;
                    value = b.toString();
                }
                else
                {
                    int vs = i;
                    while (i < n && s.charAt(i) != ',')
                        i++;
                    value = s.substring(vs, i).trim();
                }
            }
            // skip whatever malformed rest there is up to the next comma
            while (i < n && s.charAt(i) != ',')
                i++;
            if (!name.isEmpty())
                out.putIfAbsent(name, value);
        }
    }

    private static boolean isTokenChar(char c)
    {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    public boolean has(String directive)
    {
        return directives.containsKey(directive);
    }

    /** The argument of a directive ("" when it has none), or null when absent. */
    public String value(String directive)
    {
        return directives.get(directive);
    }

    /**
     * A delta-seconds argument: {@link #ABSENT} when the directive is absent, {@link #INVALID}
     * when its argument is missing or not a non-negative integer, else the seconds (capped).
     */
    public long seconds(String directive)
    {
        String v = directives.get(directive);
        if (v == null || v.isEmpty())
            return v == null ? ABSENT : INVALID;
        for (int i = 0; i < v.length(); i++)
        {
            if (v.charAt(i) < '0' || v.charAt(i) > '9')
                return INVALID;
        }
        if (v.length() > 10)
            return DELTA_MAX;
        return Math.min(Long.parseLong(v), DELTA_MAX);
    }

    /** The field names of a qualified directive ({@code no-cache="Set-Cookie, X-A"}), lower case; empty when unqualified. */
    public List<String> fieldNames(String directive)
    {
        String v = directives.get(directive);
        if (v == null || v.isEmpty())
            return List.of();
        List<String> names = new ArrayList<>();
        for (String part : v.split(","))
        {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty())
                names.add(name);
        }
        return names;
    }

    /** True when the directive is present without field names (a qualified one is not "unqualified"). */
    public boolean unqualified(String directive)
    {
        String v = directives.get(directive);
        return v != null && fieldNames(directive).isEmpty();
    }

    public boolean isEmpty()
    {
        return directives.isEmpty();
    }

    @Override
    public String toString()
    {
        return directives.toString();
    }
}
