package dev.gatehouse.policy;

/**
 * Decides whether one more request for a key (a client address, a user, a route) fits its limit.
 * The local implementation is {@link LocalRateLimiter}; a shared one (for example Redis backed)
 * can replace it without touching the filter. Implementations are thread safe and lock free on
 * the request path.
 */
public interface RateLimiter
{
    /**
     * A token bucket: {@code burst} tokens of capacity, refilled at {@code requestsPerSecond}.
     *
     * @param requestsPerSecond sustained rate, at least 1
     * @param burst bucket capacity, at least 1
     */
    record Limit(long requestsPerSecond, long burst)
    {
        public Limit
        {
            if (requestsPerSecond < 1)
                throw new IllegalArgumentException("requestsPerSecond must be >= 1, but was " + requestsPerSecond);
            if (burst < 1)
                throw new IllegalArgumentException("burst must be >= 1, but was " + burst);
        }
    }

    /**
     * The outcome of one {@link #tryAcquire} call, with the values for the IETF {@code RateLimit-*}
     * and {@code Retry-After} headers.
     *
     * @param allowed whether the request may proceed
     * @param limit bucket capacity (the burst), for {@code RateLimit-Limit}
     * @param remaining tokens left after this request
     * @param resetSeconds seconds, rounded up, until the bucket is full again (0 when full)
     * @param retryAfterSeconds when refused, seconds rounded up (at least 1) until one token is
     *     available; 0 when allowed
     */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds)
    {
    }

    /** Takes one token from the bucket of {@code key} under {@code limit}, if one is available. */
    Decision tryAcquire(String key, Limit limit);
}
