package dev.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * How a route treats its upstream pool: balancer, active health checks, circuit breakers,
 * retries, timeouts and the concurrency bulkhead. Keys {@code routes.<name>.*}, defaults in
 * {@link ConfigKeys#ROUTE_RESILIENCE_DEFAULTS}.
 *
 * @param weights         per target, in {@link RouteConfig#targets()} order ({@code ;weight=N})
 * @param healthPath      empty = no active health checks
 * @param slowCallThreshold zero = slow calls are not counted
 * @param requestTimeout  whole exchange; zero = none
 * @param maxConcurrent   zero = no bulkhead
 * @param panic           when breakers and health checks leave no target, send to all of them
 */
public record RouteResilience(
    String balancer,
    List<Integer> weights,
    boolean required,
    String healthPath,
    Duration healthInterval,
    Duration healthTimeout,
    int healthyThreshold,
    int unhealthyThreshold,
    int expectedStatusMin,
    int expectedStatusMax,
    boolean breakerEnabled,
    int failureRateThreshold,
    int slidingWindow,
    int minimumCalls,
    Duration waitInOpen,
    int halfOpenCalls,
    Duration slowCallThreshold,
    java.util.BitSet failureStatuses,
    int maxAttempts,
    Duration backoff,
    int retryBudgetPercent,
    boolean retryNonIdempotent,
    Duration connectTimeout,
    Duration idleTimeout,
    Duration requestTimeout,
    int maxConcurrent,
    Duration maxWait,
    boolean panic)
{
    public RouteResilience
    {
        weights = List.copyOf(weights);
        failureStatuses = (java.util.BitSet)failureStatuses.clone();
    }

    /** True when the breaker counts this response status as a failure. */
    public boolean isFailureStatus(int status)
    {
        return status >= 0 && failureStatuses.get(status);
    }
}
