package dev.gatehouse.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key Gatehouse knows, with its default. The docs quote these values; the
 * loader rejects any key that is neither listed here nor a well-formed per-route key.
 */
public final class ConfigKeys
{
    public static final String PROXY_HOST = "proxy.host";
    public static final String PROXY_PORT = "proxy.port";
    public static final String PROXY_ID = "proxy.id";
    public static final String ADMIN_HOST = "admin.host";
    public static final String ADMIN_PORT = "admin.port";
    public static final String ADMIN_PATH_PREFIX = "admin.path-prefix";
    public static final String FORWARD_ENABLED = "forward.enabled";
    public static final String CONNECT_ENABLED = "connect.enabled";
    public static final String CONNECT_ALLOWED_PORTS = "connect.allowed-ports";
    public static final String ROUTES = "routes";
    public static final String TIMEOUTS_CONNECT = "timeouts.connect";
    public static final String TIMEOUTS_IDLE = "timeouts.idle";
    public static final String TIMEOUTS_REQUEST = "timeouts.request";
    public static final String SHUTDOWN_GRACE = "shutdown.grace";
    public static final String SERVER_MAX_THREADS = "server.max-threads";
    public static final String SERVER_MIN_THREADS = "server.min-threads";
    public static final String UPSTREAM_MAX_CONNECTIONS = "upstream.max-connections-per-target";

    public static final String DEFAULT_PROXY_HOST = "127.0.0.1";
    public static final int DEFAULT_PROXY_PORT = 8080;
    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    public static final int DEFAULT_ADMIN_PORT = 9090;
    public static final String DEFAULT_ADMIN_PATH_PREFIX = "/_gatehouse/";
    public static final boolean DEFAULT_FORWARD_ENABLED = true;
    public static final boolean DEFAULT_CONNECT_ENABLED = true;
    public static final String DEFAULT_CONNECT_ALLOWED_PORTS = "443";
    public static final String DEFAULT_TIMEOUTS_CONNECT = "5s";
    public static final String DEFAULT_TIMEOUTS_IDLE = "30s";
    public static final String DEFAULT_TIMEOUTS_REQUEST = "60s";
    public static final String DEFAULT_SHUTDOWN_GRACE = "30s";
    public static final int DEFAULT_SERVER_MAX_THREADS = 200;
    public static final int DEFAULT_SERVER_MIN_THREADS = 8;
    /**
     * Jetty's proxy servlet allows 256 connections per destination; a reverse proxy in front of one
     * busy backend needs more than that before it starts queueing. 2048 keeps a bound (a runaway
     * client cannot open unlimited sockets to one backend) while staying above what 2 cores can drive.
     */
    public static final int DEFAULT_UPSTREAM_MAX_CONNECTIONS = 2048;

    /** Per-route keys, written {@code routes.<name>.<suffix>}. */
    public static final String ROUTE_MATCH_HOST = "match.host";
    public static final String ROUTE_MATCH_PATH = "match.path";
    public static final String ROUTE_MATCH_HEADER_PREFIX = "match.header.";
    public static final String ROUTE_TARGETS = "targets";
    public static final String ROUTE_STRIP_PREFIX = "strip-prefix";
    public static final String ROUTE_PRESERVE_HOST = "preserve-host";
    public static final Set<String> ROUTE_SUFFIXES = Set.of(ROUTE_MATCH_HOST, ROUTE_MATCH_PATH, ROUTE_TARGETS,
        ROUTE_STRIP_PREFIX, ROUTE_PRESERVE_HOST);

    private static final Map<String, String> DEFAULTS;

    static
    {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(PROXY_HOST, DEFAULT_PROXY_HOST);
        d.put(PROXY_PORT, Integer.toString(DEFAULT_PROXY_PORT));
        d.put(PROXY_ID, "");
        d.put(ADMIN_HOST, DEFAULT_ADMIN_HOST);
        d.put(ADMIN_PORT, Integer.toString(DEFAULT_ADMIN_PORT));
        d.put(ADMIN_PATH_PREFIX, DEFAULT_ADMIN_PATH_PREFIX);
        d.put(FORWARD_ENABLED, Boolean.toString(DEFAULT_FORWARD_ENABLED));
        d.put(CONNECT_ENABLED, Boolean.toString(DEFAULT_CONNECT_ENABLED));
        d.put(CONNECT_ALLOWED_PORTS, DEFAULT_CONNECT_ALLOWED_PORTS);
        d.put(ROUTES, "");
        d.put(TIMEOUTS_CONNECT, DEFAULT_TIMEOUTS_CONNECT);
        d.put(TIMEOUTS_IDLE, DEFAULT_TIMEOUTS_IDLE);
        d.put(TIMEOUTS_REQUEST, DEFAULT_TIMEOUTS_REQUEST);
        d.put(SHUTDOWN_GRACE, DEFAULT_SHUTDOWN_GRACE);
        d.put(SERVER_MAX_THREADS, Integer.toString(DEFAULT_SERVER_MAX_THREADS));
        d.put(SERVER_MIN_THREADS, Integer.toString(DEFAULT_SERVER_MIN_THREADS));
        d.put(UPSTREAM_MAX_CONNECTIONS, Integer.toString(DEFAULT_UPSTREAM_MAX_CONNECTIONS));
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private ConfigKeys()
    {
    }

    /** The static keys with their defaults, in documentation order. An empty default means "unset". */
    public static Map<String, String> defaults()
    {
        return DEFAULTS;
    }

    /** True for a static key or a well-formed per-route key. Route names are checked against {@code routes} later. */
    public static boolean isKnown(String key)
    {
        return DEFAULTS.containsKey(key) || routeSuffix(key) != null;
    }

    /** For {@code routes.<name>.<suffix>} returns the suffix if it is a known one, otherwise null. */
    static String routeSuffix(String key)
    {
        if (!key.startsWith("routes."))
            return null;
        int dot = key.indexOf('.', "routes.".length());
        if (dot < 0 || dot == "routes.".length())
            return null;
        String suffix = key.substring(dot + 1);
        if (ROUTE_SUFFIXES.contains(suffix))
            return suffix;
        if (suffix.startsWith(ROUTE_MATCH_HEADER_PREFIX) && suffix.length() > ROUTE_MATCH_HEADER_PREFIX.length())
            return suffix;
        return null;
    }

    /** The route name of a per-route key, or null. */
    static String routeName(String key)
    {
        if (routeSuffix(key) == null)
            return null;
        return key.substring("routes.".length(), key.indexOf('.', "routes.".length()));
    }
}
