package dev.gatehouse.cache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The secondary cache key (RFC 9111 §4.1): the request header values a response's {@code Vary}
 * names, normalised as the RFC allows (field lines joined, whitespace around list members and
 * parameters removed, case folded for headers whose values are case-insensitive). An absent
 * header matches only an absent header; {@code Vary: *} never matches.
 */
public final class Vary
{
    /** Headers whose values are case-insensitive tokens or language tags. */
    private static final Set<String> CASE_INSENSITIVE = Set.of("accept-encoding", "accept-language", "accept-charset", "accept");
    private static final Pattern AROUND_SEPARATORS = Pattern.compile("\\s*([;=])\\s*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Vary()
    {
    }

    public static boolean isStar(List<String> varyLines)
    {
        for (String line : varyLines)
        {
            for (String name : line.split(","))
            {
                if (name.trim().equals("*"))
                    return true;
            }
        }
        return false;
    }

    /** The selecting header names (lower case) and normalised request values (null: absent). */
    public static Map<String, String> selecting(List<String> varyLines, Function<String, List<String>> requestHeaders)
    {
        if (varyLines.isEmpty())
            return Map.of();
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : varyLines)
        {
            for (String name : line.split(","))
            {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (!n.isEmpty() && !m.containsKey(n))
                    m.put(n, normalize(n, requestHeaders.apply(n)));
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** True when the request presents the same normalised values for every selecting header. */
    public static boolean matches(Map<String, String> stored, Function<String, List<String>> requestHeaders)
    {
        for (Map.Entry<String, String> e : stored.entrySet())
        {
            if (!Objects.equals(e.getValue(), normalize(e.getKey(), requestHeaders.apply(e.getKey()))))
                return false;
        }
        return true;
    }

    static String normalize(String name, List<String> values)
    {
        if (values == null || values.isEmpty())
            return null;
        StringBuilder b = new StringBuilder();
        for (String line : values)
        {
            for (String member : line.split(","))
            {
                String m = member.trim();
                if (m.isEmpty())
                    continue;
                if (m.indexOf(' ') >= 0 || m.indexOf('\t') >= 0)
                    m = WHITESPACE.matcher(AROUND_SEPARATORS.matcher(m).replaceAll("$1")).replaceAll(" ");
                if (b.length() > 0)
                    b.append(',');
                b.append(m);
            }
        }
        String v = b.toString();
        return CASE_INSENSITIVE.contains(name) ? v.toLowerCase(Locale.ROOT) : v;
    }
}
