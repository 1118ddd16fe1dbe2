package dev.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One immutable configuration snapshot. Built and validated by {@link ConfigLoader}; a request
 * reads a single snapshot from start to end.
 *
 * @param values    every resolved key (defaults included), as jetty.xml sees them
 * @param cli       the CLI integration ({@code cli.*})
 * @param protocols compression, HTTP/2, TLS (listener and upstream), per-route upstream protocol
 * @param cache     the response cache settings
 */
public record GatehouseConfig(
    String proxyHost,
    int proxyPort,
    String proxyId,
    String adminHost,
    int adminPort,
    String adminPathPrefix,
    boolean forwardEnabled,
    boolean connectEnabled,
    Set<Integer> connectAllowedPorts,
    List<RouteConfig> routes,
    Duration connectTimeout,
    Duration idleTimeout,
    Duration requestTimeout,
    Duration shutdownGrace,
    int maxThreads,
    int minThreads,
    int upstreamMaxConnections,
    PolicyConfig policy,
    LogConfig log,
    Map<String, String> values,
    CliConfig cli,
    ProtocolConfig protocols,
    CacheConfig cache)
{
    public GatehouseConfig
    {
        connectAllowedPorts = Set.copyOf(connectAllowedPorts);
        routes = List.copyOf(routes);
        values = Map.copyOf(values);
    }

    /** {@code admin.profiling}: the CPU profiler is served at {@code /admin/pprof} (behind {@code admin.token}). */
    public boolean adminProfiling()
    {
        return ConfigKeys.ADMIN_PROFILING.read(values);
    }

    /** The built-in defaults, as {@code java -jar gatehouse.jar} with no arguments runs. */
    public static GatehouseConfig defaults()
    {
        return ConfigLoader.fromMap(Map.of());
    }
}
