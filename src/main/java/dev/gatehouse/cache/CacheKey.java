package dev.gatehouse.cache;

import java.util.Arrays;
import java.util.Locale;

/**
 * The primary cache key (RFC 9111 §2): method class (GET and HEAD share one), scheme, host, port,
 * path and query as sent (optionally with the parameters sorted). HEAD is answered from a stored
 * GET; unsafe methods invalidate the GET key of their target.
 */
public final class CacheKey
{
    private CacheKey()
    {
    }

    /** The key of the GET/HEAD class for this target. {@code rawPath} stays percent-encoded as received. */
    public static String of(String scheme, String host, int port, String rawPath, String query, boolean sortQuery)
    {
        String s = scheme.toLowerCase(Locale.ROOT);
        int p = port > 0 ? port : "https".equals(s) ? 443 : 80;
        StringBuilder b = new StringBuilder(16 + host.length() + rawPath.length() + (query == null ? 0 : query.length()));
        b.append("GET ").append(s).append("://").append(host.toLowerCase(Locale.ROOT)).append(':').append(p).append(rawPath.isEmpty() ? "/" : rawPath);
        if (query != null)
            b.append('?').append(sortQuery ? sortQuery(query) : query);
        return b.toString();
    }

    /** Parameters sorted by their raw text (name, then value); empty members dropped. */
    static String sortQuery(String query)
    {
        String[] parts = Arrays.stream(query.split("&")).filter(x -> !x.isEmpty()).sorted().toArray(String[]::new);
        return String.join("&", parts);
    }

    /** {@code host + path} of a key, the string admin purge patterns match against. */
    public static String hostAndPath(String key)
    {
        int schemeEnd = key.indexOf("://");
        int hostStart = schemeEnd + 3;
        int pathStart = key.indexOf('/', hostStart);
        if (pathStart < 0)
            return key.substring(hostStart);
        int colon = key.lastIndexOf(':', pathStart);
        String host = colon > hostStart ? key.substring(hostStart, colon) : key.substring(hostStart, pathStart);
        int q = key.indexOf('?', pathStart);
        return host + (q < 0 ? key.substring(pathStart) : key.substring(pathStart, q));
    }
}
