package dev.gatehouse.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
        long maxMemory = Sizes.parse(ConfigKeys.CACHE_MAX_MEMORY, values.get(ConfigKeys.CACHE_MAX_MEMORY));
        if (maxMemory < 1024)
            throw ConfigException.invalid(ConfigKeys.CACHE_MAX_MEMORY, "must be at least 1KB", values.get(ConfigKeys.CACHE_MAX_MEMORY));
        int maxEntries = ConfigLoader.intIn(values, ConfigKeys.CACHE_MAX_ENTRIES, 1, 100_000_000);
        long maxObject = Sizes.parse(ConfigKeys.CACHE_MAX_OBJECT_SIZE, values.get(ConfigKeys.CACHE_MAX_OBJECT_SIZE));
        if (maxObject > MAX_OBJECT_SIZE_LIMIT || maxObject > maxMemory)
            throw ConfigException.invalid(ConfigKeys.CACHE_MAX_OBJECT_SIZE, "must be at most 1GB and at most cache.max-memory",
                values.get(ConfigKeys.CACHE_MAX_OBJECT_SIZE));
        Duration collapse = Durations.parse(ConfigKeys.CACHE_COLLAPSE_TIMEOUT, values.get(ConfigKeys.CACHE_COLLAPSE_TIMEOUT));
        List<String> include = globs(values, ConfigKeys.CACHE_INCLUDE);
        List<String> exclude = globs(values, ConfigKeys.CACHE_EXCLUDE);
        Set<String> off = new HashSet<>();
        for (String name : routeNames)
        {
            String key = "routes." + name + "." + ConfigKeys.ROUTE_CACHE;
            String v = values.get(key);
            if (v == null)
                continue;
            switch (v.trim().toLowerCase(Locale.ROOT))
            {
                case "on", "true" -> { }
                case "off", "false" -> off.add(name);
                default -> throw ConfigException.invalid(key, "must be on or off", v);
            }
        }
        return new CacheConfig(ConfigLoader.bool(values, ConfigKeys.CACHE_ENABLED), maxMemory, maxEntries, maxObject,
            ConfigLoader.bool(values, ConfigKeys.CACHE_SORT_QUERY), include, exclude, collapse, off, broadcast(values));
    }

    private static CacheConfig.Broadcast broadcast(Map<String, String> values)
    {
        String uri = values.get(ConfigKeys.CACHE_BROADCAST_REDIS_URI);
        if (uri == null || uri.isBlank())
            return null;
        String channel = values.get(ConfigKeys.CACHE_BROADCAST_CHANNEL).trim();
        if (channel.isEmpty())
            throw ConfigException.invalid(ConfigKeys.CACHE_BROADCAST_CHANNEL, "must name a channel", channel);
        return new CacheConfig.Broadcast(RedisUris.parse(ConfigKeys.CACHE_BROADCAST_REDIS_URI, uri), channel);
    }

    private static List<String> globs(Map<String, String> values, String key)
    {
        List<String> globs = ConfigLoader.splitList(values.get(key));
        for (String g : globs)
        {
            if (!g.startsWith("/") && !g.startsWith("*"))
                throw ConfigException.invalid(key, "must list path globs starting with / (such as /static/*)", g);
        }
        return globs;
    }
}
