package dev.gatehouse.config;

import java.time.Duration;
import java.util.Map;

/**
 * WebSocket proxying on a route ({@code routes.<name>.websocket.*}); defaults in
 * {@link ConfigKeys#ROUTE_WEBSOCKET_DEFAULTS}.
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
        String enabledKey = prefix + ConfigKeys.ROUTE_WEBSOCKET_ENABLED;
        String enabled = get(values, prefix, ConfigKeys.ROUTE_WEBSOCKET_ENABLED);
        if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false"))
            throw ConfigException.invalid(enabledKey, "must be true or false", enabled);
        String idleKey = prefix + ConfigKeys.ROUTE_WEBSOCKET_IDLE_TIMEOUT;
        Duration idle = Durations.parse(idleKey, get(values, prefix, ConfigKeys.ROUTE_WEBSOCKET_IDLE_TIMEOUT));
        if (idle.isZero())
            throw ConfigException.invalid(idleKey, "must be > 0", get(values, prefix, ConfigKeys.ROUTE_WEBSOCKET_IDLE_TIMEOUT));
        String sizeKey = prefix + ConfigKeys.ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE;
        long size = Sizes.parse(sizeKey, get(values, prefix, ConfigKeys.ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE));
        if (size <= 0)
            throw ConfigException.invalid(sizeKey, "must be > 0", get(values, prefix, ConfigKeys.ROUTE_WEBSOCKET_MAX_MESSAGE_SIZE));
        Duration ping = Durations.parse(prefix + ConfigKeys.ROUTE_WEBSOCKET_PING_INTERVAL,
            get(values, prefix, ConfigKeys.ROUTE_WEBSOCKET_PING_INTERVAL));
        return new RouteWebSocket(Boolean.parseBoolean(enabled.toLowerCase(java.util.Locale.ROOT)), idle, size, ping);
    }

    private static String get(Map<String, String> values, String prefix, String suffix)
    {
        String v = values.get(prefix + suffix);
        return v != null ? v : ConfigKeys.ROUTE_WEBSOCKET_DEFAULTS.get(suffix);
    }
}
