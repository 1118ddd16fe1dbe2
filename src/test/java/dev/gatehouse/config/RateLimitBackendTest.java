package dev.gatehouse.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitBackendTest
{
    private static RateLimitBackend backend(String... keyValues)
    {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
            map.put(keyValues[i], keyValues[i + 1]);
        return ConfigLoader.fromMap(map).policy().rateLimitBackend();
    }

    @Test
    void defaultsToLocalBuckets()
    {
        RateLimitBackend b = backend();
        assertFalse(b.redis());
        assertEquals("redis://127.0.0.1:6379", b.uri().toString());
        assertFalse(b.failClosed());
        assertEquals(Duration.ofMillis(250), b.timeout());
        assertEquals("gatehouse:ratelimit:", b.keyPrefix());
    }

    @Test
    void readsTheRedisKeys()
    {
        RateLimitBackend b = backend("ratelimit.backend", "redis", "ratelimit.redis.uri", "rediss://user:pw@cache.internal:6380/2",
            "ratelimit.redis.on-failure", "closed", "ratelimit.redis.timeout", "1s", "ratelimit.redis.key-prefix", "edge:");
        assertTrue(b.redis());
        assertTrue(b.failClosed());
        assertEquals("cache.internal", b.uri().getHost());
        assertEquals(Duration.ofSeconds(1), b.timeout());
        assertEquals("edge:", b.keyPrefix());
        assertEquals("rediss://***@cache.internal:6380/2", b.safeUri(), "the password is never shown");
    }

    @Test
    void namesTheBadKeyAndValueWithoutThePassword()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> backend("ratelimit.backend", "memcached"));
        assertTrue(x.getMessage().contains("ratelimit.backend") && x.getMessage().contains("memcached"), x.getMessage());
        x = assertThrows(ConfigException.class, () -> backend("ratelimit.redis.on-failure", "maybe"));
        assertTrue(x.getMessage().contains("ratelimit.redis.on-failure") && x.getMessage().contains("maybe"), x.getMessage());
        x = assertThrows(ConfigException.class, () -> backend("ratelimit.redis.uri", "http://user:hunter2@host:6379"));
        assertTrue(x.getMessage().contains("ratelimit.redis.uri"), x.getMessage());
        assertFalse(x.getMessage().contains("hunter2"), x.getMessage());
        x = assertThrows(ConfigException.class, () -> backend("ratelimit.redis.timeout", "0s"));
        assertTrue(x.getMessage().contains("ratelimit.redis.timeout"), x.getMessage());
    }
}
