package dev.gatehouse.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyTest
{
    private static String error(Runnable read)
    {
        return assertThrows(ConfigException.class, read::run).getMessage();
    }

    @Test
    void readsTheValueOrTheDefault()
    {
        Key<Integer> port = Key.integer("x.port", 8080).range(0, 65535);
        assertEquals(8080, port.read(Map.of()));
        assertEquals(81, port.read(Map.of("x.port", "81")));
        assertEquals("x.port must be an integer between 0 and 65535, but was '70000'", error(() -> port.read(Map.of("x.port", "70000"))));
        assertEquals("x.port must be an integer between 0 and 65535, but was 'a'", error(() -> port.read(Map.of("x.port", "a"))));
    }

    @Test
    void positiveRejectsZero()
    {
        Key<Duration> wait = Key.duration("x.wait", "5s").positive();
        assertEquals(Duration.ofSeconds(5), wait.read(Map.of()));
        assertEquals("x.wait must be > 0, but was '0s'", error(() -> wait.read(Map.of("x.wait", "0s"))));
        Key<Long> size = Key.size("x.size", "1KB").positive();
        assertEquals("x.size must be > 0, but was '0'", error(() -> size.read(Map.of("x.size", "0"))));
    }

    @Test
    void routeKeyNamesTheRouteAndFallsBackToItsDefault()
    {
        Key<Boolean> enabled = Key.bool("breaker.enabled", true);
        assertEquals(true, enabled.read(Map.of(), "routes.api."));
        assertEquals(false, enabled.read(Map.of("routes.api.breaker.enabled", "FALSE"), "routes.api."));
        assertEquals("routes.api.breaker.enabled must be true or false, but was 'no'",
            error(() -> enabled.read(Map.of("routes.api.breaker.enabled", "no"), "routes.api.")));
    }

    @Test
    void inheritingKeyTakesTheGlobalValue()
    {
        Key<Duration> global = Key.duration("timeouts.idle", "30s").positive();
        Key<Duration> route = Key.inherits("timeouts.idle", global);
        assertEquals(Duration.ofSeconds(30), route.read(Map.of(), "routes.api."));
        assertEquals(Duration.ofSeconds(9), route.read(Map.of("timeouts.idle", "9s"), "routes.api."));
        assertEquals(Duration.ofSeconds(2), route.read(Map.of("timeouts.idle", "9s", "routes.api.timeouts.idle", "2s"), "routes.api."));
        assertEquals("routes.api.timeouts.idle must be > 0, but was '0s'",
            error(() -> route.read(Map.of("routes.api.timeouts.idle", "0s"), "routes.api.")));
        assertNull(route.readOverride(Map.of("timeouts.idle", "9s"), "routes.api."));
    }

    @Test
    void choiceNormalizesButReportsTheTextAsWritten()
    {
        Key<String> mode = Key.choice("x.mode", "a", s -> s.toLowerCase(Locale.ROOT), "must be a or b", "a", "b");
        assertEquals("b", mode.read(Map.of("x.mode", "B")));
        assertEquals("x.mode must be a or b, but was 'C'", error(() -> mode.read(Map.of("x.mode", "C"))));
    }

    @Test
    void restartKeysComeFromTheDeclarations()
    {
        assertEquals(true, ConfigKeys.restartKeys().contains(ConfigKeys.PROXY_PORT.name()));
        assertEquals(false, ConfigKeys.restartKeys().contains(ConfigKeys.CACHE_ENABLED.name()));
    }
}
