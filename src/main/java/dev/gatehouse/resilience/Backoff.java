package dev.gatehouse.resilience;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delays: exponential backoff with full jitter. The cap for attempt {@code n} is
 * {@code base * 2^(n-1)}, at most {@code max}; the delay is uniform in {@code [0, cap]}, which
 * spreads retries of many clients that failed together.
 */
public final class Backoff
{
    private Backoff()
    {
    }

    /**
     * @param attempt    the retry number, 1 for the first retry
     * @param baseMillis the cap of the first retry, at least 0
     * @param maxMillis  the largest cap, at least {@code baseMillis}
     * @return a delay in milliseconds in {@code [0, min(max, base * 2^(attempt-1))]}
     */
    public static long delayMillis(int attempt, long baseMillis, long maxMillis)
    {
        long cap = capMillis(attempt, baseMillis, maxMillis);
        return cap == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }

    /** The upper bound of {@link #delayMillis} for these arguments, without overflow. */
    static long capMillis(int attempt, long baseMillis, long maxMillis)
    {
        if (attempt < 1)
            throw new IllegalArgumentException("attempt must be >= 1, but was " + attempt);
        if (baseMillis < 0 || maxMillis < baseMillis)
            throw new IllegalArgumentException("need 0 <= base <= max, but base was " + baseMillis + " and max " + maxMillis);
        int shift = attempt - 1;
        if (shift >= 63 || baseMillis > (maxMillis >> shift))
            return maxMillis;
        return Math.min(maxMillis, baseMillis << shift);
    }
}
