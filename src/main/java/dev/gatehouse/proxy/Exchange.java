package dev.gatehouse.proxy;

import java.util.HashSet;
import java.util.Set;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.resilience.Target;
import dev.gatehouse.resilience.UpstreamPool;

/**
 * The upstream side of one routed request: which targets were tried, the attempt in flight (its
 * breaker outcome is recorded exactly once), and the bulkhead permit (released exactly once).
 * Callbacks of one request run one after another, never concurrently.
 */
public final class Exchange
{
    static final String ATTRIBUTE = "dev.gatehouse.exchange";

    /** A response status the route counts as a breaker failure. */
    static final class StatusFailure extends Exception
    {
        StatusFailure(int status)
        {
            super("upstream answered " + status, null, false, false);
        }
    }

    final UpstreamPool pool;
    private final GatehouseMetrics metrics;
    final Set<Target> tried = new HashSet<>(4);
    private Target target;
    private volatile String lastTarget;
    private long startNanos;
    private boolean outcomePending;
    private boolean bulkheadHeld;
    private int attempts;
    private boolean finished;

    Exchange(UpstreamPool pool, GatehouseMetrics metrics)
    {
        this.pool = pool;
        this.metrics = metrics;
    }

    private String route()
    {
        return pool.route().name();
    }

    /**
     * Admits the request to the route: the bulkhead (if any) must have room, then an available
     * target whose breaker grants a call is chosen and the attempt begins. Returns null when
     * admitted, else the refusal: UPSTREAM_SATURATED, CIRCUIT_OPEN (every breaker open) or
     * NO_HEALTHY_UPSTREAM.
     */
    ErrorCode admit(String clientKey)
    {
        if (pool.bulkhead() != null)
        {
            if (!pool.bulkhead().tryAcquirePermission())
            {
                pool.onRefused();
                metrics.upstream(route(), "-", "refused");
                return ErrorCode.UPSTREAM_SATURATED;
            }
            bulkheadHeld = true;
        }
        pool.retryBudget().onRequest();
        Target first = nextTarget(clientKey);
        if (first == null)
        {
            pool.onRefused();
            metrics.upstream(route(), "-", "refused");
            finish();
            return pool.allBreakersOpen() ? ErrorCode.CIRCUIT_OPEN : ErrorCode.NO_HEALTHY_UPSTREAM;
        }
        begin(first);
        return null;
    }

    /** An available target not tried yet whose breaker grants a call, or null. */
    Target nextTarget(String clientKey)
    {
        while (true)
        {
            Target candidate = pool.choose(clientKey, tried);
            if (candidate == null)
                return null;
            if (pool.acquirePermission(candidate))
                return candidate;
            tried.add(candidate);
        }
    }

    static String message(ErrorCode refusal, String route)
    {
        return switch (refusal)
        {
            case UPSTREAM_SATURATED -> "Route '" + route + "' is at its concurrency limit";
            case CIRCUIT_OPEN -> "Every upstream of route '" + route + "' is failing; not trying";
            default -> "Route '" + route + "' has no healthy upstream";
        };
    }

    /** Starts an attempt on a target whose breaker granted a permission. */
    void begin(Target t)
    {
        if (attempts > 0)
            metrics.upstream(route(), t.url(), "retry");
        target = t;
        lastTarget = t.url();
        tried.add(t);
        attempts++;
        t.acquire();
        startNanos = System.nanoTime();
        outcomePending = true;
    }

    Target target()
    {
        return target;
    }

    /** The base URL of the last target tried (for the access log), or null. */
    public String lastTarget()
    {
        return lastTarget;
    }

    /** The exchange of a routed request, or null. */
    public static Exchange of(jakarta.servlet.ServletRequest request)
    {
        return request.getAttribute(ATTRIBUTE) instanceof Exchange e ? e : null;
    }

    int attempts()
    {
        return attempts;
    }

    /** The upstream answered with this status (recorded once per attempt). */
    void answered(int status)
    {
        if (!outcomePending)
            return;
        outcomePending = false;
        long nanos = System.nanoTime() - startNanos;
        boolean failure = pool.settings().isFailureStatus(status);
        if (failure)
            pool.onFailure(target, nanos, new StatusFailure(status));
        else
            pool.onSuccess(target, nanos);
        metrics.upstream(route(), target.url(), failure ? "failure" : "success");
    }

    /** The attempt failed before an answer (recorded once per attempt); the target is released. */
    void failed(Throwable failure)
    {
        if (outcomePending)
        {
            outcomePending = false;
            pool.onFailure(target, System.nanoTime() - startNanos, failure);
            metrics.upstream(route(), target.url(), "failure");
        }
        if (target != null)
        {
            target.release();
            target = null;
        }
    }

    /** The request is over: releases the target and the bulkhead permit. Idempotent. */
    void finish()
    {
        if (finished)
            return;
        finished = true;
        if (target != null)
        {
            target.release();
            target = null;
        }
        if (bulkheadHeld && pool.bulkhead() != null)
            pool.bulkhead().onComplete();
        bulkheadHeld = false;
    }
}
