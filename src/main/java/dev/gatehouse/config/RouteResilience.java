package dev.gatehouse.config;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;

/**
 * How a route treats its upstream pool: balancer, and one part each (as resilience4j splits its
 * configs) for active health checks, circuit breakers, retries, timeouts and the concurrency
 * bulkhead. Keys {@code routes.<name>.*}, declared with their defaults in {@link ConfigKeys}.
 *
 * @param weights  per target, in {@link RouteConfig#targets()} order ({@code ;weight=N})
 * @param required readiness is DOWN while the route has no available target
 * @param panic    when breakers and health checks leave no target, send to all of them
 */
public record RouteResilience(String balancer, List<Integer> weights, boolean required, boolean panic, Health health,
                              Breaker breaker, Retry retry, Timeouts timeouts, Bulkhead bulkhead)
{
    public RouteResilience
    {
        weights = List.copyOf(weights);
    }

    /**
     * Active health checks ({@code routes.<name>.health.*}).
     *
     * @param path empty = no active health checks
     */
    public record Health(String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold,
                         int expectedStatusMin, int expectedStatusMax)
    {
    }

    /**
     * One circuit breaker per target ({@code routes.<name>.breaker.*}).
     *
     * @param slowCallThreshold zero = slow calls are not counted
     */
    public record Breaker(boolean enabled, int failureRateThreshold, int slidingWindow, int minimumCalls, Duration waitInOpen,
                          int halfOpenCalls, Duration slowCallThreshold, BitSet failureStatuses)
    {
        public Breaker
        {
            failureStatuses = (BitSet)failureStatuses.clone();
        }

        /** True when the breaker counts this response status as a failure. */
        public boolean isFailureStatus(int status)
        {
            return status >= 0 && failureStatuses.get(status);
        }
    }

    /** Retries to another target ({@code routes.<name>.retry.*}). */
    public record Retry(int maxAttempts, Duration backoff, int budgetPercent, boolean nonIdempotent)
    {
    }

    /**
     * The concurrency bulkhead ({@code routes.<name>.max-concurrent}, {@code .max-wait}).
     *
     * @param maxConcurrent zero = no bulkhead
     */
    public record Bulkhead(int maxConcurrent, Duration maxWait)
    {
    }
}
