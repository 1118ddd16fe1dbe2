package dev.gatehouse.policy;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.http.EntryExpiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * In-process token buckets (Bucket4j, lock free), one per (key, limit), held in a bounded
 * Caffeine cache. A bucket left idle long enough to be full again is dropped, since a fresh bucket
 * behaves identically; when more than {@code maxBuckets} keys are active the least valuable
 * buckets are evicted, so memory stays bounded however many client addresses appear (an evicted
 * client simply starts again with a full bucket).
 */
public final class LocalRateLimiter implements RateLimiter
{
    /** Idle time added to the time a bucket needs to refill completely before it is dropped. */
    static final long IDLE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_IDLE_NANOS = TimeUnit.DAYS.toNanos(365);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Cache<BucketKey, Bucket> buckets;
    private final TimeMeter timeMeter;
    private final Function<BucketKey, Bucket> newBucket = this::newBucket;

    /** Uses the system nano clock. */
    public LocalRateLimiter(long maxBuckets)
    {
        this(maxBuckets, Ticker.systemTicker());
    }

    /**
     * Uses {@code ticker} (nanoseconds, monotonic) both for refilling buckets and for expiring idle
     * ones; tests pass a controllable one.
     */
    public LocalRateLimiter(long maxBuckets, Ticker ticker)
    {
        if (maxBuckets < 1)
            throw new IllegalArgumentException("maxBuckets must be >= 1, but was " + maxBuckets);
        this.timeMeter = new TickerTimeMeter(ticker);
        this.buckets = Caffeine.newBuilder()
            .maximumSize(maxBuckets)
            .expireAfter(EntryExpiry.afterAccess((BucketKey key, Bucket value) -> idleNanos(key.limit())))
            .ticker(ticker)
            .build();
    }

    @Override
    public Decision tryAcquire(String key, Limit limit)
    {
        Bucket bucket = buckets.get(new BucketKey(key, limit), newBucket);
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long reset = ceilSeconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed())
            return new Decision(true, limit.burst(), probe.getRemainingTokens(), reset, 0);
        long retryAfter = Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill()));
        return new Decision(false, limit.burst(), probe.getRemainingTokens(), reset, retryAfter);
    }

    /** Number of live buckets, after pending evictions and expirations have run. */
    public long bucketCount()
    {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket newBucket(BucketKey key)
    {
        Limit limit = key.limit();
        return Bucket.builder()
            .addLimit(limit.bandwidth())
            .withCustomTimePrecision(timeMeter)
            .build();
    }

    static long ceilSeconds(long nanos)
    {
        if (nanos <= 0)
            return 0;
        return (nanos - 1) / NANOS_PER_SECOND + 1;
    }

    /** How long a bucket may stay unused: the time to refill from empty, plus a margin, at least 1 s. */
    static long idleNanos(Limit limit)
    {
        double fillNanos = (double)limit.burst() / limit.requestsPerSecond() * NANOS_PER_SECOND;
        double idle = Math.ceil(fillNanos) + IDLE_MARGIN_NANOS;
        return (long)Math.min(MAX_IDLE_NANOS, Math.max(MIN_IDLE_NANOS, idle));
    }

    private record BucketKey(String key, Limit limit)
    {
    }

    private static final class TickerTimeMeter implements TimeMeter
    {
        private final Ticker ticker;

        TickerTimeMeter(Ticker ticker)
        {
            this.ticker = ticker;
        }

        @Override
        public long currentTimeNanos()
        {
            return ticker.read();
        }

        @Override
        public boolean isWallClockBased()
        {
            return false;
        }
    }
}
