package dev.gatehouse.policy;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitKeysTest
{
    @TempDir
    Path dir;

    @Test
    void parsesKeySpecifications()
    {
        assertEquals(RateLimitKey.CLIENT_IP, RateLimitKey.parse("k", "client-ip"));
        assertEquals(new RateLimitKey("header", "X-API-Key"), RateLimitKey.parse("k", "header:X-API-Key"));
        assertEquals(new RateLimitKey("query", "api_key"), RateLimitKey.parse("k", "query:api_key"));
        ConfigException x = assertThrows(ConfigException.class, () -> RateLimitKey.parse("ratelimit.key", "cookie:x"));
        assertTrue(x.getMessage().contains("ratelimit.key") && x.getMessage().contains("'cookie:x'"), x.getMessage());
    }

    @Test
    void fingerprintsNeverContainTheKey()
    {
        String fp = RateLimitKey.fingerprint("super-secret-key");
        assertTrue(fp.matches("sha256:[0-9a-f]{12}"), fp);
        assertFalse(fp.contains("secret"));
        assertEquals(fp, RateLimitKey.fingerprint("super-secret-key"));
    }

    @Test
    void loadsTiersWithCommentsAndOptionalBurst() throws Exception
    {
        Path file = dir.resolve("keys");
        Files.writeString(file, "# tiers\ngold 100 200\nsilver 10   # burst defaults to the rate\n\n");
        RateLimitKeys keys = RateLimitKeys.load("ratelimit.keys-file", file);
        assertEquals(2, keys.size());
        assertEquals(new RateLimiter.Limit(100, 200), keys.limit("gold"));
        assertEquals(new RateLimiter.Limit(10, 10), keys.limit("silver"));
        assertNull(keys.limit("bronze"));
        assertNull(keys.limit(null));
    }

    @Test
    void badLineNamesTheLineButNotTheSecret() throws Exception
    {
        Path file = dir.resolve("keys");
        Files.writeString(file, "gold 100\nsecret-token-123 many\n");
        ConfigException x = assertThrows(ConfigException.class, () -> RateLimitKeys.load("ratelimit.keys-file", file));
        assertTrue(x.getMessage().contains("ratelimit.keys-file line 2"), x.getMessage());
        assertFalse(x.getMessage().contains("secret-token-123"), x.getMessage());
    }
}
