package dev.gatehouse.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Limits retries to a fraction of the requests over a sliding window, so that retries cannot
 * multiply the load on an upstream that is already failing. A retry is allowed while the retries
 * in the window are fewer than {@code max(minRetriesPerSecond * windowSeconds,
 * ratio * requestsInWindow)}.
 *
 * <p>The window is a ring of one-second buckets, each holding its second and two counters. A
 * bucket of a past second is replaced by a fresh one with compare-and-set, so there are no locks.
 * Under concurrency the limit is soft: a few racing retries may pass together at the boundary.
 */
public final class RetryBudget
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratio;
    private final int windowSeconds;
    private final long minRetries;
    private final LongSupplier nanoTime;
    private final AtomicReferenceArray<Bucket> ring;

    /**
     * @param ratio               retries allowed per first attempt in the window, at least 0
     * @param window              the sliding window, rounded up to whole seconds, at least 1s
     * @param minRetriesPerSecond retries allowed per second however few requests there are
     */
    public RetryBudget(double ratio, Duration window, int minRetriesPerSecond)
    {
        this(ratio, window, minRetriesPerSecond, System::nanoTime);
    }

    /** As {@link #RetryBudget(double, Duration, int)}, with a clock for tests. */
    public RetryBudget(double ratio, Duration window, int minRetriesPerSecond, LongSupplier nanoTime)
    {
        if (!(ratio >= 0) || Double.isInfinite(ratio))
            throw new IllegalArgumentException("ratio must be >= 0, but was " + ratio);
        if (window == null || window.isNegative() || window.isZero() || window.compareTo(Duration.ofHours(1)) > 0)
            throw new IllegalArgumentException("window must be positive and at most 1h, but was " + window);
        if (minRetriesPerSecond < 0)
            throw new IllegalArgumentException("minRetriesPerSecond must be >= 0, but was " + minRetriesPerSecond);
        this.ratio = ratio;
        long seconds = window.getSeconds() + (window.getNano() > 0 ? 1 : 0);
        this.windowSeconds = (int)seconds;
        this.minRetries = (long)minRetriesPerSecond * windowSeconds;
        this.nanoTime = nanoTime;
        this.ring = new AtomicReferenceArray<>(windowSeconds);
    }

    /** Counts a first attempt of a request. */
    public void onRequest()
    {
        bucket(now()).requests.increment();
    }

    /**
     * Takes one retry from the budget.
     *
     * @return true if the retry may go ahead (and it is counted), false if the budget is spent
     */
    public boolean tryAcquireRetry()
    {
        long now = now();
        long requests = 0;
        long retries = 0;
        for (int i = 0; i < windowSeconds; i++)
        {
            Bucket bucket = ring.get(i);
            if (bucket != null && bucket.second > now - windowSeconds && bucket.second <= now)
            {
                requests += bucket.requests.sum();
                retries += bucket.retries.sum();
            }
        }
        double allowed = Math.max(minRetries, ratio * requests);
        if (retries >= allowed)
            return false;
        bucket(now).retries.increment();
        return true;
    }

    private long now()
    {
        return Math.floorDiv(nanoTime.getAsLong(), NANOS_PER_SECOND);
    }

    private Bucket bucket(long second)
    {
        int slot = (int)Math.floorMod(second, (long)windowSeconds);
        while (true)
        {
            Bucket bucket = ring.get(slot);
            if (bucket != null && bucket.second == second)
                return bucket;
            if (bucket != null && bucket.second > second)
                return bucket; // a racing thread already moved on; count into the newer second
            Bucket fresh = new Bucket(second);
            if (ring.compareAndSet(slot, bucket, fresh))
                return fresh;
        }
    }

    /** The counters of one second. */
    private static final class Bucket
    {
        final long second;
        final LongAdder requests = new LongAdder();
        final LongAdder retries = new LongAdder();

        Bucket(long second)
        {
            this.second = second;
        }
    }
}
