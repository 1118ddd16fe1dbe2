package dev.gatehouse.config;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

/** Reads the per-route resilience keys ({@code routes.<name>.balancer}, {@code .health.*}, {@code .breaker.*}, ...). */
final class ResilienceConfigs
{
    private ResilienceConfigs()
    {
    }

    static RouteResilience route(Map<String, String> values, String prefix, List<Integer> weights)
    {
        // read in the order the checks ran before the split, so the first error reported stays the same
        String balancer = ConfigKeys.ROUTE_BALANCER.read(values, prefix);
        int[] expected = ConfigKeys.ROUTE_HEALTH_EXPECTED.read(values, prefix);
        BitSet failureStatuses = ConfigKeys.ROUTE_BREAKER_STATUSES.read(values, prefix);
        String healthPath = ConfigKeys.ROUTE_HEALTH_PATH.read(values, prefix);
        boolean required = ConfigKeys.ROUTE_REQUIRED.read(values, prefix);
        RouteResilience.Health health = new RouteResilience.Health(
            healthPath,
            ConfigKeys.ROUTE_HEALTH_INTERVAL.read(values, prefix),
            ConfigKeys.ROUTE_HEALTH_TIMEOUT.read(values, prefix),
            ConfigKeys.ROUTE_HEALTH_HEALTHY.read(values, prefix),
            ConfigKeys.ROUTE_HEALTH_UNHEALTHY.read(values, prefix),
            expected[0],
            expected[1]);
        RouteResilience.Breaker breaker = new RouteResilience.Breaker(
            ConfigKeys.ROUTE_BREAKER_ENABLED.read(values, prefix),
            ConfigKeys.ROUTE_BREAKER_FAILURE_RATE.read(values, prefix),
            ConfigKeys.ROUTE_BREAKER_WINDOW.read(values, prefix),
            ConfigKeys.ROUTE_BREAKER_MIN_CALLS.read(values, prefix),
            ConfigKeys.ROUTE_BREAKER_WAIT.read(values, prefix),
            ConfigKeys.ROUTE_BREAKER_HALF_OPEN.read(values, prefix),
            ConfigKeys.ROUTE_BREAKER_SLOW.read(values, prefix),
            failureStatuses);
        RouteResilience.Retry retry = new RouteResilience.Retry(
            ConfigKeys.ROUTE_RETRY_ATTEMPTS.read(values, prefix),
            ConfigKeys.ROUTE_RETRY_BACKOFF.read(values, prefix),
            ConfigKeys.ROUTE_RETRY_BUDGET.read(values, prefix),
            ConfigKeys.ROUTE_RETRY_NON_IDEMPOTENT.read(values, prefix));
        Timeouts timeouts = new Timeouts(
            ConfigKeys.ROUTE_TIMEOUTS_CONNECT.read(values, prefix),
            ConfigKeys.ROUTE_TIMEOUTS_IDLE.read(values, prefix),
            ConfigKeys.ROUTE_TIMEOUTS_REQUEST.read(values, prefix));
        RouteResilience.Bulkhead bulkhead = new RouteResilience.Bulkhead(
            ConfigKeys.ROUTE_MAX_CONCURRENT.read(values, prefix),
            ConfigKeys.ROUTE_MAX_WAIT.read(values, prefix));
        return new RouteResilience(balancer, weights, required, ConfigKeys.ROUTE_PANIC.read(values, prefix), health, breaker, retry,
            timeouts, bulkhead);
    }
}
