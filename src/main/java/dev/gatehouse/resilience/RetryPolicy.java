package dev.gatehouse.resilience;

import java.util.Set;
import java.util.function.Supplier;

import dev.gatehouse.config.RouteResilience;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a failed attempt of a routed request is retried, on which target, after what delay; the
 * proxy only performs the decision. A retry is for a request that failed before the upstream could
 * act on it (refused, reset before any response): only requests without a body, only idempotent
 * methods unless the route opts in ({@code retry.non-idempotent}), within {@code retry.max-attempts}
 * and the route's retry budget, on a target not tried yet, after an exponential backoff with jitter.
 */
public final class RetryPolicy
{
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    /** Retry on {@code target} after {@code delayMillis} (0: at once). */
    public record Decision(Target target, long delayMillis)
    {
    }

    private RetryPolicy()
    {
    }

    /**
     * @param attempts         the attempts made so far (at least 1)
     * @param method           the request's method
     * @param hasBody          the request has a body (it cannot be sent again)
     * @param retryableFailure the failure left the upstream untouched and the client is still there
     * @param nextTarget       the next target (not tried yet, its breaker asked); asked last, only
     *                         when everything else allows a retry; may return null
     * @param requestId        for the log line when the budget is spent
     * @return the retry to perform, or null for none
     */
    public static Decision decide(UpstreamPool pool, int attempts, String method, boolean hasBody, boolean retryableFailure,
                                  Supplier<Target> nextTarget, String requestId)
    {
        RouteResilience settings = pool.settings();
        if (attempts >= settings.retry().maxAttempts() || hasBody || !retryableFailure)
            return null;
        if (!IDEMPOTENT.contains(method) && !settings.retry().nonIdempotent())
            return null;
        if (!pool.retryBudget().tryAcquireRetry())
        {
            LOG.info("[{}] route '{}': retry budget exhausted, not retrying", requestId, pool.route().name());
            return null;
        }
        Target next = nextTarget.get();
        if (next == null)
            return null;
        long backoff = settings.retry().backoff().toMillis();
        return new Decision(next, Backoff.delayMillis(attempts, backoff, Math.max(1, backoff * 8)));
    }
}
