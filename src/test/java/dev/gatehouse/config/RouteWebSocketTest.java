package dev.gatehouse.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteWebSocketTest
{
    private static RouteWebSocket route(String... keyValues)
    {
        Map<String, String> map = new HashMap<>(Map.of("routes", "chat", "routes.chat.targets", "http://127.0.0.1:9000"));
        for (int i = 0; i < keyValues.length; i += 2)
            map.put(keyValues[i], keyValues[i + 1]);
        return ConfigLoader.fromMap(map).routes().get(0).websocket();
    }

    @Test
    void defaults()
    {
        RouteWebSocket ws = route();
        assertTrue(ws.enabled());
        assertEquals(Duration.ofMinutes(10), ws.idleTimeout());
        assertEquals(16L << 20, ws.maxMessageSize());
        assertEquals(Duration.ZERO, ws.pingInterval());
    }

    @Test
    void readsEveryKey()
    {
        RouteWebSocket ws = route("routes.chat.websocket.enabled", "false", "routes.chat.websocket.idle-timeout", "90s",
            "routes.chat.websocket.max-message-size", "1MB", "routes.chat.websocket.ping-interval", "20s");
        assertFalse(ws.enabled());
        assertEquals(Duration.ofSeconds(90), ws.idleTimeout());
        assertEquals(1L << 20, ws.maxMessageSize());
        assertEquals(Duration.ofSeconds(20), ws.pingInterval());
    }

    @Test
    void namesTheBadKeyAndValue()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> route("routes.chat.websocket.max-message-size", "huge"));
        assertTrue(x.getMessage().contains("routes.chat.websocket.max-message-size") && x.getMessage().contains("huge"), x.getMessage());
        x = assertThrows(ConfigException.class, () -> route("routes.chat.websocket.idle-timeout", "0s"));
        assertTrue(x.getMessage().contains("routes.chat.websocket.idle-timeout"), x.getMessage());
        x = assertThrows(ConfigException.class, () -> route("routes.chat.websocket.enabled", "yes"));
        assertTrue(x.getMessage().contains("routes.chat.websocket.enabled") && x.getMessage().contains("yes"), x.getMessage());
        x = assertThrows(ConfigException.class, () -> route("routes.chat.websocket.max-message-size", "0"));
        assertTrue(x.getMessage().contains("must be > 0"), x.getMessage());
    }
}
