package dev.gatehouse.proxy;

import java.util.HashSet;
import java.util.Set;

import dev.gatehouse.resilience.Target;
import dev.gatehouse.resilience.UpstreamPool;

/**
 * The upstream side of one routed request: which targets were tried, the attempt in flight (its
 * breaker outcome is recorded exactly once), and the bulkhead permit (released exactly once).
 * Callbacks of one request run one after another, never concurrently.
 */
final class Exchange
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
    final Set<Target> tried = new HashSet<>(4);
    private Target target;
    private long startNanos;
    private boolean outcomePending;
    private boolean bulkheadHeld;
    private int attempts;
    private boolean finished;

    Exchange(UpstreamPool pool)
    {
        this.pool = pool;
    }

    void holdBulkhead()
    {
        bulkheadHeld = true;
    }

    /** Starts an attempt on a target whose breaker granted a permission. */
    void begin(Target t)
    {
        target = t;
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
        if (pool.settings().isFailureStatus(status))
            pool.onFailure(target, nanos, new StatusFailure(status));
        else
            pool.onSuccess(target, nanos);
    }

    /** The attempt failed before an answer (recorded once per attempt); the target is released. */
    void failed(Throwable failure)
    {
        if (outcomePending)
        {
            outcomePending = false;
            pool.onFailure(target, System.nanoTime() - startNanos, failure);
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
