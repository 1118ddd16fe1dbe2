package dev.gatehouse.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
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
    private final MetricRegistry metrics;
    private final Map<Target, Counter> successes = new IdentityHashMap<>();
    private final Map<Target, Counter> failures = new IdentityHashMap<>();
    private final Counter refused = new Counter();
    private final Counter panics = new Counter();
    private final AtomicBoolean inPanic = new AtomicBoolean();

    /** Metric name prefix of a route's upstream metrics. */
    public static String metricPrefix(String route)
    {
        return MetricRegistry.name("gatehouse", "upstream", route);
    }

    private void publish(MetricRegistry registry)
    {
        String prefix = metricPrefix(route.name());
        for (Target t : targets)
        {
            String base = MetricRegistry.name(prefix, t.url());
            CircuitBreaker breaker = breakers.get(t);
            registry.register(MetricRegistry.name(base, "breaker-state"), (Gauge<Integer>)() -> stateCode(breaker.getState()));
            registry.register(MetricRegistry.name(base, "healthy"), (Gauge<Integer>)() -> t.isHealthy() ? 1 : 0);
            registry.register(MetricRegistry.name(base, "in-flight"), (Gauge<Integer>)t::inFlight);
            registry.register(MetricRegistry.name(base, "calls", "success"), successes.get(t));
            registry.register(MetricRegistry.name(base, "calls", "failure"), failures.get(t));
        }
        registry.register(MetricRegistry.name(prefix, "refused"), refused);
        registry.register(MetricRegistry.name(prefix, "panic"), panics);
    }

    /** The breaker state of a target as a number (see {@link #stateCode}). */
    public int breakerStateCode(Target target)
    {
        return stateCode(breakers.get(target).getState());
    }

    /** 0 closed, 1 half-open, 2 open (and forced open), 3 disabled. */
    static int stateCode(CircuitBreaker.State state)
    {
        return switch (state)
        {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN, FORCED_OPEN -> 2;
            default -> 3;
        };
    }

    /** Removes this pool's metrics (the route changed or went away). */
    public void unpublish()
    {
        if (metrics != null)
            metrics.removeMatching((name, metric) -> name.startsWith(metricPrefix(route.name()) + "."));
    }

    /** A request the route could not serve at all (no target, breakers open, bulkhead full). */
    public void onRefused()
    {
        refused.inc();
    }
    /**
     * @param metrics where the pool publishes its gauges and counters
     *                ({@code gatehouse.upstream.<route>.<target>.*}), or null
     */
    public UpstreamPool(RouteConfig route, MetricRegistry metrics)
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
            if (settings.breaker().enabled())
                t.breakerPermits(() -> permits(breaker.getState()));
            breakers.put(t, breaker);
        }
        this.metrics = metrics;
        for (Target t : targets)
        {
            successes.put(t, new Counter());
            failures.put(t, new Counter());
        }
        if (metrics != null)
            publish(metrics);
        this.retryBudget = new RetryBudget(settings.retry().budgetPercent() / 100.0, Duration.ofSeconds(10), 1);
        this.bulkhead = settings.bulkhead().maxConcurrent() > 0 ? Bulkhead.of(route.name(), BulkheadConfig.custom()
            .maxConcurrentCalls(settings.bulkhead().maxConcurrent()).maxWaitDuration(settings.bulkhead().maxWait()).build()) : null;
    }

    private static boolean permits(CircuitBreaker.State state)
    {
        return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
    }

    private static CircuitBreakerConfig breakerConfig(RouteResilience s)
    {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.custom()
            .failureRateThreshold(s.breaker().failureRateThreshold())
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(s.breaker().slidingWindow())
            .minimumNumberOfCalls(s.breaker().minimumCalls())
            .waitDurationInOpenState(s.breaker().waitInOpen())
            .permittedNumberOfCallsInHalfOpenState(s.breaker().halfOpenCalls())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .recordExceptions(Throwable.class);
        if (!s.breaker().slowCallThreshold().isZero())
            b.slowCallDurationThreshold(s.breaker().slowCallThreshold()).slowCallRateThreshold(s.breaker().failureRateThreshold());
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
        Target t = balancer.pick(targets, clientKey, tried);
        if (t != null && inPanic.get() && inPanic.compareAndSet(true, false))
            LOG.info("route '{}' leaves panic mode: {} of {} targets available", route.name(), availableCount(), targets.size());
        return t;
    }

    /**
     * Panic mode ({@code routes.<name>.panic}): when no target would take a request (none available,
     * or every available one's breaker refused a call), any target not yet tried, whatever its
     * health and breaker say; null when panic mode is off or every target was tried. Counted per
     * request; entering it is logged once.
     */
    public Target choosePanic(String clientKey, Set<Target> tried)
    {
        if (!settings.panic())
            return null;
        Target t = balancer.pick(targets, clientKey, tried, true);
        if (t == null)
            return null;
        panics.inc();
        if (inPanic.compareAndSet(false, true))
            LOG.warn("route '{}' enters panic mode: no target is available (breakers open or health checks failing); "
                + "sending to all {} targets", route.name(), targets.size());
        return t;
    }

    /**
     * Active health checks passed {@code healthy-threshold} times in a row: a target whose breaker
     * is open or half-open rejoins now (its breaker closes) instead of waiting out
     * {@code breaker.wait-in-open}.
     */
    public void healthChecksPass(Target target)
    {
        CircuitBreaker breaker = breakers.get(target);
        if (breaker == null || !settings.breaker().enabled())
            return;
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN)
        {
            LOG.info("route '{}' target {} rejoins: active health checks pass", route.name(), target.url());
            breaker.transitionToClosedState();
        }
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
        return !settings.breaker().enabled() || breakers.get(target).tryAcquirePermission();
    }

    /** Records the outcome of a call that got a permission. */
    public void onSuccess(Target target, long nanos)
    {
        successes.get(target).inc();
        if (settings.breaker().enabled())
            breakers.get(target).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    /** A call that got a permission ended without an outcome the upstream caused: the permission goes back. */
    public void releasePermission(Target target)
    {
        if (settings.breaker().enabled())
            breakers.get(target).releasePermission();
    }

    public void onFailure(Target target, long nanos, Throwable cause)
    {
        failures.get(target).inc();
        if (settings.breaker().enabled())
            breakers.get(target).onError(nanos, TimeUnit.NANOSECONDS, cause);
    }

    /** True when every healthy target's breaker is open: the route answers 503 CIRCUIT_OPEN. */
    public boolean allBreakersOpen()
    {
        if (!settings.breaker().enabled())
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
        return Math.max(1, (settings.breaker().waitInOpen().toMillis() + 999) / 1000);
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
