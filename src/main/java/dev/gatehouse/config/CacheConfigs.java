package dev.gatehouse.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code cache.*} keys and {@code routes.<name>.cache} into a {@link CacheConfig}. */
final class CacheConfigs
{
    /** Caffeine weighs entries in ints, and a body is held in one array. */
    static final long MAX_OBJECT_SIZE_LIMIT = 1L << 30;

    private CacheConfigs()
    {
    }

    static CacheConfig from(Map<String, String> values, List<String> routeNames)
    {
        long maxMemory = ConfigKeys.CACHE_MAX_MEMORY.read(values);
        int maxEntries = ConfigKeys.CACHE_MAX_ENTRIES.read(values);
        long maxObject = ConfigKeys.CACHE_MAX_OBJECT_SIZE.read(values);
        if (maxObject > MAX_OBJECT_SIZE_LIMIT || maxObject > maxMemory)
            throw ConfigException.invalid(ConfigKeys.CACHE_MAX_OBJECT_SIZE.name(), "must be at most 1GB and at most cache.max-memory",
                values.get(ConfigKeys.CACHE_MAX_OBJECT_SIZE.name()));
        Duration collapse = ConfigKeys.CACHE_COLLAPSE_TIMEOUT.read(values);
        List<String> include = ConfigKeys.CACHE_INCLUDE.read(values);
        List<String> exclude = ConfigKeys.CACHE_EXCLUDE.read(values);
        Set<String> off = new HashSet<>();
        for (String name : routeNames)
        {
            if (!ConfigKeys.ROUTE_CACHE.read(values, "routes." + name + "."))
                off.add(name);
        }
        return new CacheConfig(ConfigKeys.CACHE_ENABLED.read(values), maxMemory, maxEntries, maxObject,
            ConfigKeys.CACHE_SORT_QUERY.read(values), include, exclude, collapse, off, broadcast(values));
    }

    private static CacheConfig.Broadcast broadcast(Map<String, String> values)
    {
        String uri = ConfigKeys.CACHE_BROADCAST_REDIS_URI.read(values);
        if (uri == null || uri.isBlank())
            return null;
        String channel = ConfigKeys.CACHE_BROADCAST_CHANNEL.read(values).trim();
        if (channel.isEmpty())
            throw ConfigException.invalid(ConfigKeys.CACHE_BROADCAST_CHANNEL.name(), "must name a channel", channel);
        return new CacheConfig.Broadcast(RedisUris.parse(ConfigKeys.CACHE_BROADCAST_REDIS_URI.name(), uri), channel);
    }
}
