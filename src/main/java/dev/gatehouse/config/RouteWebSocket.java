package dev.gatehouse.config;

import java.time.Duration;
import java.util.Map;

/**
 * WebSocket proxying on a route ({@code routes.<name>.websocket.*}); keys and defaults declared in
 * {@link ConfigKeys}.
 *
 * @param enabled        upgrade requests on this route are proxied as WebSocket sessions
 * @param idleTimeout    a session with no frame either way for this long is closed (1001)
 * @param maxMessageSize the largest message relayed either way, in bytes (text counted as UTF-8); a larger one closes both legs with 1009
 * @param pingInterval   how often the proxy pings both legs to keep NAT paths open; zero: never
 */
public record RouteWebSocket(boolean enabled, Duration idleTimeout, long maxMessageSize, Duration pingInterval)
{
    public static final RouteWebSocket DEFAULTS = parse(Map.of(), "");

    static RouteWebSocket parse(Map<String, String> values, String prefix)
    {
        return new RouteWebSocket(ConfigKeys.ROUTE_WEBSOCKET_ENABLED.read(values, prefix),
            ConfigKeys.ROUTE_WEBSOCKET_IDLE_TIMEOUT.read(values, prefix),
            ConfigKeys.ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE.read(values, prefix),
            ConfigKeys.ROUTE_WEBSOCKET_PING_INTERVAL.read(values, prefix));
    }
}
