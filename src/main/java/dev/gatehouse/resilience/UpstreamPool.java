package dev.gatehouse.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.config.RouteResilience;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's targets with everything that decides which one serves a request: the balancer, one
 * resilience4j circuit breaker per target, the retry budget and the route's bulkhead. Lives as
 * long as the route's upstream settings do (a reload that leaves them unchanged keeps the pool,
 * its breakers and its health state).
 */
public final class UpstreamPool
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPool.class);

    private final RouteConfig route;
    private final RouteResilience settings;
    private final List<Target> targets;
    private final Balancer balancer;
    private final Map<Target, CircuitBreaker> breakers = new IdentityHashMap<>();
    private final RetryBudget retryBudget;
    private final Bulkhead bulkhead;

    public UpstreamPool(RouteConfig route)
    {
        this.route = route;
        this.settings = route.resilience();
        List<Target> list = new ArrayList<>();
        for (int i = 0; i < route.targets().size(); i++)
            list.add(new Target(route.targets().get(i).toString(), settings.weights().get(i)));
        this.targets = Collections.unmodifiableList(list);
        this.balancer = Balancer.of("routes." + route.name() + ".balancer", settings.balancer());
        CircuitBreakerConfig breakerConfig = breakerConfig(settings);
        for (Target t : targets)
        {
            CircuitBreaker breaker = CircuitBreaker.of(route.name() + " " + t.url(), breakerConfig);
            breaker.getEventPublisher().onStateTransition(e ->
                LOG.warn("circuit breaker for route '{}' target {}: {}", route.name(), t.url(), e.getStateTransition()));
            if (settings.breakerEnabled())
                t.breakerPermits(() -> permits(breaker.getState()));
            breakers.put(t, breaker);
        }
        this.retryBudget = new RetryBudget(settings.retryBudgetPercent() / 100.0, Duration.ofSeconds(10), 1);
        this.bulkhead = settings.maxConcurrent() > 0 ? Bulkhead.of(route.name(), BulkheadConfig.custom()
            .maxConcurrentCalls(settings.maxConcurrent()).maxWaitDuration(settings.maxWait()).build()) : null;
    }

    private static boolean permits(CircuitBreaker.State state)
    {
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    private static CircuitBreakerConfig breakerConfig(RouteResilience s)
    {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.custom()
            .failureRateThreshold(s.failureRateThreshold())
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(s.slidingWindow())
            .minimumNumberOfCalls(s.minimumCalls())
            .waitDurationInOpenState(s.waitInOpen())
            .permittedNumberOfCallsInHalfOpenState(s.halfOpenCalls())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .recordExceptions(Throwable.class);
        if (!s.slowCallThreshold().isZero())
            b.slowCallDurationThreshold(s.slowCallThreshold()).slowCallRateThreshold(s.failureRateThreshold());
        else
            b.slowCallDurationThreshold(Duration.ofDays(3650)).slowCallRateThreshold(100);
        return b.build();
    }

    public RouteConfig route()
    {
        return route;
    }

    public RouteResilience settings()
    {
        return settings;
    }

    public List<Target> targets()
    {
        return targets;
    }

    /** An available target not yet tried, or null. */
    public Target choose(String clientKey, Set<Target> tried)
    {
        return balancer.pick(targets, clientKey, tried);
    }

    public CircuitBreaker breaker(Target target)
    {
        return breakers.get(target);
    }

    /**
     * Asks the target's breaker for a call (in half-open state only a few calls get one). With
     * breakers disabled this is always true.
     */
    public boolean acquirePermission(Target target)
    {
        return !settings.breakerEnabled() || breakers.get(target).tryAcquirePermission();
    }

    /** Records the outcome of a call that got a permission. */
    public void onSuccess(Target target, long nanos)
    {
        if (settings.breakerEnabled())
            breakers.get(target).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    public void onFailure(Target target, long nanos, Throwable cause)
    {
        if (settings.breakerEnabled())
            breakers.get(target).onError(nanos, TimeUnit.NANOSECONDS, cause);
    }

    /** True when every healthy target's breaker is open: the route answers 503 CIRCUIT_OPEN. */
    public boolean allBreakersOpen()
    {
        if (!settings.breakerEnabled())
            return false;
        boolean anyHealthy = false;
        for (Target t : targets)
        {
            if (!t.isHealthy())
                continue;
            anyHealthy = true;
            if (permits(breakers.get(t).getState()))
                return false;
        }
        return anyHealthy;
    }

    /** Seconds until the first open breaker may let a trial call through (at least 1). */
    public long retryAfterSeconds()
    {
        return Math.max(1, (settings.waitInOpen().toMillis() + 999) / 1000);
    }

    public RetryBudget retryBudget()
    {
        return retryBudget;
    }

    /** The route's bulkhead, or null without {@code max-concurrent}. */
    public Bulkhead bulkhead()
    {
        return bulkhead;
    }

    public int availableCount()
    {
        int n = 0;
        for (Target t : targets)
        {
            if (t.isAvailable())
                n++;
        }
        return n;
    }
}
