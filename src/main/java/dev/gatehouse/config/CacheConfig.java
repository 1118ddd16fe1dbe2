package dev.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The response cache settings ({@code cache.*}, {@code routes.<name>.cache}); see docs/caching.md.
 *
 * @param enabled         the cache is on at all
 * @param maxMemory       bytes of stored responses (headers and bodies), at most
 * @param maxEntries      stored responses (variants), at most
 * @param maxObjectSize   a larger response streams through uncached
 * @param sortQuery       sort query parameters in the cache key
 * @param include         path globs that may be cached (empty: every path)
 * @param exclude         path globs that are never cached
 * @param collapseTimeout how long concurrent misses wait for the one request that went upstream
 * @param routesOff       routes with {@code routes.<name>.cache=off}
 * @param broadcast       where admin purges are published to (and heard from) other instances; null: nowhere
 */
public record CacheConfig(boolean enabled, long maxMemory, int maxEntries, long maxObjectSize, boolean sortQuery,
                          List<String> include, List<String> exclude, Duration collapseTimeout, Set<String> routesOff,
                          Broadcast broadcast)
{
    public CacheConfig
    {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        routesOff = Set.copyOf(routesOff);
    }

    /**
     * Purges shared by every instance through Redis pub/sub ({@code cache.broadcast.redis.uri}).
     *
     * @param uri     the Redis
     * @param channel the channel instances publish to and listen on
     */
    public record Broadcast(URI uri, String channel)
    {
    }

    /** True when the cache serves this route (null: forward-proxy traffic). */
    public boolean enabledFor(String route)
    {
        return enabled && (route == null || !routesOff.contains(route));
    }
}
