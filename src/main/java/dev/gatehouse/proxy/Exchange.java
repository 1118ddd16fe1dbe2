package dev.gatehouse.proxy;

import dev.gatehouse.routing.Route;
import java.util.HashSet;
import java.util.Set;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.resilience.Target;
import dev.gatehouse.resilience.UpstreamPool;
import jakarta.servlet.ServletRequest;
import org.eclipse.jetty.client.Request;

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

    /** The route the request matched (the one place the servlet keeps it). */
    final Route route;
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
    /** The attempt in flight holds a breaker permission (false only for a panic-mode attempt on an open breaker). */
    private boolean permitted = true;
    private boolean panicking;
    private boolean answeredFailure;

    Exchange(Route route, UpstreamPool pool, GatehouseMetrics metrics)
    {
        this.route = route;
        this.pool = pool;
        this.metrics = metrics;
    }

    private String routeName()
    {
        return route.name();
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
                metrics.upstream(routeName(), "-", "refused");
                return ErrorCode.UPSTREAM_SATURATED;
            }
            bulkheadHeld = true;
        }
        pool.retryBudget().onRequest();
        Target first = nextTarget(clientKey);
        if (first == null)
        {
            pool.onRefused();
            metrics.upstream(routeName(), "-", "refused");
            finish();
            return pool.allBreakersOpen() ? ErrorCode.CIRCUIT_OPEN : ErrorCode.NO_HEALTHY_UPSTREAM;
        }
        begin(first);
        return null;
    }

    /**
     * An available target not tried yet whose breaker grants a call; when none is left, in panic
     * mode, any target not tried yet (its breaker asked, but not obeyed); else null.
     */
    Target nextTarget(String clientKey)
    {
        Set<Target> refused = null;
        while (true)
        {
            Target candidate = pool.choose(clientKey, tried);
            if (candidate == null)
                break;
            if (pool.acquirePermission(candidate))
                return candidate;
            tried.add(candidate);
            if (refused == null)
                refused = new HashSet<>(4);
            refused.add(candidate);
        }
        if (refused != null)
            tried.removeAll(refused);
        else if (pool.availableCount() > 0)
            return null; // the available targets were all tried: no retry
        Target panic = pool.choosePanic(clientKey, tried);
        if (panic != null)
        {
            // a breaker whose wait is over grants a trial call; an open one is overridden (no permission)
            permitted = pool.acquirePermission(panic);
            panicking = true;
        }
        return panic;
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
            metrics.upstream(routeName(), t.url(), "retry");
        if (panicking)
            metrics.upstream(routeName(), t.url(), "panic");
        else
            permitted = true;
        panicking = false;
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
    public static Exchange of(ServletRequest request)
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
        boolean failure = pool.settings().breaker().isFailureStatus(status);
        answeredFailure = failure;
        if (failure)
            pool.onFailure(target, nanos, new StatusFailure(status));
        else
            pool.onSuccess(target, nanos);
        metrics.upstream(routeName(), target.url(), failure ? "failure" : "success");
    }

    /**
     * The attempt failed; the target is released. Only a failure the upstream caused counts against
     * it (breaker, failure counters): before its answer as the attempt's outcome, after it (a body
     * cut off mid-transfer) as one more failure. Anything else (the client aborted or was too slow,
     * a policy or limit refused the exchange) gives the breaker permission back and records nothing.
     */
    void failed(Throwable failure, boolean upstreamCaused)
    {
        if (target != null)
        {
            if (upstreamCaused && (outcomePending || !answeredFailure))
            {
                pool.onFailure(target, System.nanoTime() - startNanos, failure);
                metrics.upstream(routeName(), target.url(), "failure");
            }
            else if (outcomePending && permitted)
            {
                pool.releasePermission(target);
            }
            outcomePending = false;
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

    /**
     * Accounts a request the proxy sends on its own behalf on this exchange: its status is the
     * attempt's outcome, no response at all is an upstream failure, and its end finishes the exchange.
     */
    void accountBackground(Request proxyToServerRequest)
    {
        proxyToServerRequest.onResponseHeaders(response -> answered(response.getStatus()));
        proxyToServerRequest.onComplete(result ->
        {
            if (result.isFailed() && result.getResponse() == null)
                failed(result.getFailure(), true);
            finish();
        });
    }
}
