package dev.gatehouse.cache;

import java.net.URI;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;

/** The request's target as the cache keys it. */
record CacheTarget(String scheme, String host, int port, String path, boolean sortQuery)
{
    String key(String rawPath, String query)
    {
        return CacheKey.of(scheme, host, port, rawPath, query, sortQuery);
    }

    /** The key of a Location / Content-Location value when it has the same origin, else null. */
    String sameOriginKey(String reference)
    {
        try
        {
            // relative references resolve against the request's own URI
            String base = scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port
                + (path == null || path.isEmpty() ? "/" : path);
            URI u = URI.create(base).resolve(reference.trim());
            int p = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            String h = u.getHost();
            if (h == null || !scheme.equalsIgnoreCase(u.getScheme()) || p != port
                || !h.replace("[", "").replace("]", "").equalsIgnoreCase(host))
                return null;
            return key(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath(), u.getRawQuery());
        }
        catch (IllegalArgumentException x)
        {
            return null;
        }
    }

    /**
     * After a successful unsafe method: removes the target URI's entries and those of the
     * same-origin {@code Location} / {@code Content-Location} of the response.
     */
    void invalidate(ResponseCache cache, String key, HttpFields fields)
    {
        cache.invalidate(key);
        for (String header : List.of("Location", "Content-Location"))
        {
            String value = fields.get(header);
            if (value != null)
            {
                String other = sameOriginKey(value);
                if (other != null)
                    cache.invalidate(other);
            }
        }
    }
}
