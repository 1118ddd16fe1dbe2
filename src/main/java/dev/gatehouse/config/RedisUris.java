package dev.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;

/** Redis URIs in the configuration: checked once, and never shown with their password. */
public final class RedisUris
{
    private RedisUris()
    {
    }

    /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://...}; else a ConfigException naming the key (value masked). */
    static URI parse(String key, String raw)
    {
        String value = raw == null ? "" : raw.trim();
        URI uri;
        try
        {
            uri = new URI(value);
        }
        catch (URISyntaxException x)
        {
            throw ConfigException.invalid(key, "must be a redis:// or rediss:// URI", masked(value));
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null)
            throw ConfigException.invalid(key, "must be a redis:// or rediss:// URI with a host", masked(value));
        return uri;
    }

    /** The URI with its user information replaced by {@code ***}. */
    public static String masked(String uri)
    {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        if (at < 0 || scheme < 0 || at < scheme)
            return uri;
        return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
    }
}
