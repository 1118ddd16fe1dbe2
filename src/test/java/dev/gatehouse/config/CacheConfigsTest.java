package dev.gatehouse.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache.* keys and routes.<name>.cache: defaults, parsing, and errors naming key and value. */
class CacheConfigsTest
{
    private static Map<String, String> map(String... kv)
    {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static void rejected(String key, String value, String... kv)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> ConfigLoader.fromMap(map(kv)));
        assertEquals(key, x.key(), x.getMessage());
        assertTrue(x.getMessage().contains("'" + value + "'"), x.getMessage());
    }

    @Test
    void defaultsAreOffWithTheDocumentedBounds()
    {
        CacheConfig c = GatehouseConfig.defaults().cache();
        assertFalse(c.enabled());
        assertEquals(256L << 20, c.maxMemory());
        assertEquals(10_000, c.maxEntries());
        assertEquals(8L << 20, c.maxObjectSize());
        assertFalse(c.sortQuery());
        assertEquals(Duration.ofSeconds(5), c.collapseTimeout());
        assertEquals(List.of(), c.include());
    }

    @Test
    void parsesEveryKeyAndRouteSwitches()
    {
        CacheConfig c = ConfigLoader.fromMap(map("cache.enabled", "true", "cache.max-memory", "64MB", "cache.max-entries", "500",
            "cache.max-object-size", "1MB", "cache.sort-query", "true", "cache.include", "/static/*, *.png",
            "cache.exclude", "/static/private/*", "cache.collapse-timeout", "250ms",
            "routes", "a,b", "routes.a.targets", "http://127.0.0.1:1", "routes.b.targets", "http://127.0.0.1:2",
            "routes.a.cache", "off", "routes.b.cache", "on")).cache();
        assertTrue(c.enabled());
        assertEquals(64L << 20, c.maxMemory());
        assertEquals(500, c.maxEntries());
        assertEquals(1L << 20, c.maxObjectSize());
        assertTrue(c.sortQuery());
        assertEquals(List.of("/static/*", "*.png"), c.include());
        assertEquals(List.of("/static/private/*"), c.exclude());
        assertEquals(Duration.ofMillis(250), c.collapseTimeout());
        assertEquals(Set.of("a"), c.routesOff());
        assertFalse(c.enabledFor("a"));
        assertTrue(c.enabledFor("b"));
        assertTrue(c.enabledFor(null));
    }

    @Test
    void rejectsBadValuesNamingKeyAndValue()
    {
        rejected("cache.max-memory", "lots", "cache.max-memory", "lots");
        rejected("cache.max-entries", "0", "cache.max-entries", "0");
        rejected("cache.max-object-size", "512MB", "cache.max-object-size", "512MB");
        rejected("cache.collapse-timeout", "5", "cache.collapse-timeout", "5");
        rejected("cache.enabled", "yes", "cache.enabled", "yes");
        rejected("cache.include", "static/*", "cache.include", "static/*");
        rejected("routes.a.cache", "maybe", "routes", "a", "routes.a.targets", "http://127.0.0.1:1", "routes.a.cache", "maybe");
    }
}
