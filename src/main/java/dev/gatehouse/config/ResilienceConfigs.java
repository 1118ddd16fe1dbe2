package dev.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the per-route resilience keys ({@code routes.<name>.balancer}, {@code .health.*}, {@code .breaker.*}, ...). */
final class ResilienceConfigs
{
    private static final Set<String> BALANCERS = Set.of("round-robin", "weighted", "least-requests", "ip-hash");

    private ResilienceConfigs()
    {
    }

    static RouteResilience route(Map<String, String> values, String prefix, List<Integer> weights, GatehouseConfigDefaults global)
    {
        String balancerKey = prefix + ConfigKeys.ROUTE_BALANCER;
        String balancer = get(values, prefix, ConfigKeys.ROUTE_BALANCER);
        if (!BALANCERS.contains(balancer))
            throw ConfigException.invalid(balancerKey, "must be round-robin, weighted, least-requests or ip-hash", balancer);
        int[] expected = range(prefix + ConfigKeys.ROUTE_HEALTH_EXPECTED, get(values, prefix, ConfigKeys.ROUTE_HEALTH_EXPECTED));
        java.util.BitSet statuses = new java.util.BitSet(600);
        for (String r : ConfigLoader.splitList(get(values, prefix, ConfigKeys.ROUTE_BREAKER_STATUSES)))
        {
            int[] range = range(prefix + ConfigKeys.ROUTE_BREAKER_STATUSES, r);
            statuses.set(range[0], range[1] + 1);
        }
        String healthPath = get(values, prefix, ConfigKeys.ROUTE_HEALTH_PATH);
        if (!healthPath.isEmpty() && !healthPath.startsWith("/"))
            throw ConfigException.invalid(prefix + ConfigKeys.ROUTE_HEALTH_PATH, "must be a path starting with /", healthPath);
        return new RouteResilience(
            balancer,
            weights,
            bool(values, prefix, ConfigKeys.ROUTE_REQUIRED),
            healthPath,
            positive(values, prefix, ConfigKeys.ROUTE_HEALTH_INTERVAL),
            positive(values, prefix, ConfigKeys.ROUTE_HEALTH_TIMEOUT),
            intIn(values, prefix, ConfigKeys.ROUTE_HEALTH_HEALTHY, 1, 100),
            intIn(values, prefix, ConfigKeys.ROUTE_HEALTH_UNHEALTHY, 1, 100),
            expected[0],
            expected[1],
            bool(values, prefix, ConfigKeys.ROUTE_BREAKER_ENABLED),
            intIn(values, prefix, ConfigKeys.ROUTE_BREAKER_FAILURE_RATE, 1, 100),
            intIn(values, prefix, ConfigKeys.ROUTE_BREAKER_WINDOW, 1, 100_000),
            intIn(values, prefix, ConfigKeys.ROUTE_BREAKER_MIN_CALLS, 1, 100_000),
            positive(values, prefix, ConfigKeys.ROUTE_BREAKER_WAIT),
            intIn(values, prefix, ConfigKeys.ROUTE_BREAKER_HALF_OPEN, 1, 1000),
            duration(values, prefix, ConfigKeys.ROUTE_BREAKER_SLOW),
            statuses,
            intIn(values, prefix, ConfigKeys.ROUTE_RETRY_ATTEMPTS, 1, 10),
            duration(values, prefix, ConfigKeys.ROUTE_RETRY_BACKOFF),
            intIn(values, prefix, ConfigKeys.ROUTE_RETRY_BUDGET, 0, 100),
            bool(values, prefix, ConfigKeys.ROUTE_RETRY_NON_IDEMPOTENT),
            values.containsKey(prefix + ConfigKeys.ROUTE_TIMEOUTS_CONNECT) ? positive(values, prefix, ConfigKeys.ROUTE_TIMEOUTS_CONNECT) : global.connect(),
            values.containsKey(prefix + ConfigKeys.ROUTE_TIMEOUTS_IDLE) ? positive(values, prefix, ConfigKeys.ROUTE_TIMEOUTS_IDLE) : global.idle(),
            values.containsKey(prefix + ConfigKeys.ROUTE_TIMEOUTS_REQUEST) ? duration(values, prefix, ConfigKeys.ROUTE_TIMEOUTS_REQUEST) : global.request(),
            intIn(values, prefix, ConfigKeys.ROUTE_MAX_CONCURRENT, 0, 1_000_000),
            duration(values, prefix, ConfigKeys.ROUTE_MAX_WAIT),
            bool(values, prefix, ConfigKeys.ROUTE_PANIC));
    }

    /** The global timeouts a route inherits. */
    record GatehouseConfigDefaults(Duration connect, Duration idle, Duration request)
    {
    }

    private static String get(Map<String, String> values, String prefix, String suffix)
    {
        String v = values.get(prefix + suffix);
        return v != null ? v : ConfigKeys.ROUTE_RESILIENCE_DEFAULTS.get(suffix);
    }

    private static boolean bool(Map<String, String> values, String prefix, String suffix)
    {
        String v = get(values, prefix, suffix);
        if (v.equalsIgnoreCase("true"))
            return true;
        if (v.equalsIgnoreCase("false"))
            return false;
        throw ConfigException.invalid(prefix + suffix, "must be true or false", v);
    }

    private static int intIn(Map<String, String> values, String prefix, String suffix, int min, int max)
    {
        return ConfigLoader.intIn(Map.of(prefix + suffix, get(values, prefix, suffix)), prefix + suffix, min, max);
    }

    private static Duration duration(Map<String, String> values, String prefix, String suffix)
    {
        return Durations.parse(prefix + suffix, get(values, prefix, suffix));
    }

    private static Duration positive(Map<String, String> values, String prefix, String suffix)
    {
        return Durations.positive(prefix + suffix, get(values, prefix, suffix));
    }

    /** {@code 200-399} or {@code 503}. */
    static int[] range(String key, String value)
    {
        String v = value.trim();
        try
        {
            int dash = v.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? v : v.substring(0, dash).trim());
            int hi = dash < 0 ? lo : Integer.parseInt(v.substring(dash + 1).trim());
            if (lo >= 100 && hi <= 599 && lo <= hi)
                return new int[]{lo, hi};
        }
        catch (NumberFormatException ignored)
        {
            // reported below
        }
        throw ConfigException.invalid(key, "must be a status or status range such as 200-399", value);
    }
}
