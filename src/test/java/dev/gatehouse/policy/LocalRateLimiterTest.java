package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.policy.RateLimiter.Decision;
import dev.gatehouse.policy.RateLimiter.Limit;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest
{
    /** A clock that only moves when the test says so. */
    private static final class ManualTicker implements Ticker
    {
        private final AtomicLong nanos = new AtomicLong(TimeUnit.HOURS.toNanos(1));

        @Override
        public long read()
        {
            return nanos.get();
        }

        void advanceMillis(long millis)
        {
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    private final ManualTicker clock = new ManualTicker();
    private final LocalRateLimiter limiter = new LocalRateLimiter(1_000, clock);

    @Test
    void allowsBurstThenRefuses()
    {
        Limit limit = new Limit(1, 5);
        for (int i = 0; i < 5; i++)
            assertTrue(limiter.tryAcquire("10.0.0.1", limit).allowed(), "request " + i);
        assertFalse(limiter.tryAcquire("10.0.0.1", limit).allowed());
        assertFalse(limiter.tryAcquire("10.0.0.1", limit).allowed());
    }

    @Test
    void refillsAtTheConfiguredRate()
    {
        Limit limit = new Limit(2, 3);
        for (int i = 0; i < 3; i++)
            limiter.tryAcquire("a", limit);
        assertFalse(limiter.tryAcquire("a", limit).allowed());

        clock.advanceMillis(400); // 0.8 token
        assertFalse(limiter.tryAcquire("a", limit).allowed());
        clock.advanceMillis(100); // 1.0 token
        assertTrue(limiter.tryAcquire("a", limit).allowed());
        assertFalse(limiter.tryAcquire("a", limit).allowed());

        clock.advanceMillis(60_000); // refill is capped at the burst
        for (int i = 0; i < 3; i++)
            assertTrue(limiter.tryAcquire("a", limit).allowed(), "request " + i);
        assertFalse(limiter.tryAcquire("a", limit).allowed());
    }

    @Test
    void ratesBelowOnePerSecondRefillOneTokenAtATime()
    {
        Limit limit = Limit.withDefaultBurst(0.25, 0);
        assertEquals(1, limit.burst(), "the default burst of a rate below 1 is 1");
        assertTrue(limiter.tryAcquire("slow", limit).allowed());
        Decision refused = limiter.tryAcquire("slow", limit);
        assertFalse(refused.allowed());
        assertEquals(4, refused.retryAfterSeconds(), "one token every 4 s");
        clock.advanceMillis(3_999);
        assertFalse(limiter.tryAcquire("slow", limit).allowed());
        clock.advanceMillis(1);
        assertTrue(limiter.tryAcquire("slow", limit).allowed());
        assertEquals("0.25", limit.rateText());
        assertEquals("3", new Limit(3, 1).rateText());
        assertEquals(3, Limit.withDefaultBurst(2.5, 0).burst());
    }

    @Test
    void decisionCountsDownRemainingAndReportsReset()
    {
        Limit limit = new Limit(1, 5);
        Decision first = limiter.tryAcquire("k", limit);
        assertEquals(new Decision(true, 5, 4, 1, 0), first);
        assertEquals(new Decision(true, 5, 3, 2, 0), limiter.tryAcquire("k", limit));
        assertEquals(new Decision(true, 5, 2, 3, 0), limiter.tryAcquire("k", limit));
        assertEquals(new Decision(true, 5, 1, 4, 0), limiter.tryAcquire("k", limit));
        assertEquals(new Decision(true, 5, 0, 5, 0), limiter.tryAcquire("k", limit));
        Decision refused = limiter.tryAcquire("k", limit);
        assertEquals(new Decision(false, 5, 0, 5, 1), refused);
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds()
    {
        Limit slow = new Limit(1, 1);
        limiter.tryAcquire("s", slow);
        clock.advanceMillis(100); // 0.9 s to the next token
        Decision refused = limiter.tryAcquire("s", slow);
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());

        Limit fast = new Limit(10, 2);
        limiter.tryAcquire("f", fast);
        limiter.tryAcquire("f", fast);
        Decision fastRefused = limiter.tryAcquire("f", fast);
        assertFalse(fastRefused.allowed());
        assertEquals(1, fastRefused.retryAfterSeconds(), "0.1 s rounds up to 1, never 0");
        assertEquals(1, fastRefused.resetSeconds(), "0.2 s to full rounds up to 1");
    }

    @Test
    void resetIsMeasuredFromTheRefilledBucket()
    {
        Limit limit = new Limit(1, 3);
        limiter.tryAcquire("z", limit);
        limiter.tryAcquire("z", limit);
        clock.advanceMillis(5_000); // full again
        assertEquals(new Decision(true, 3, 2, 1, 0), limiter.tryAcquire("z", limit));
    }

    @Test
    void secondsAreRoundedUp()
    {
        assertEquals(0, LocalRateLimiter.ceilSeconds(0));
        assertEquals(1, LocalRateLimiter.ceilSeconds(1));
        assertEquals(1, LocalRateLimiter.ceilSeconds(1_000_000_000));
        assertEquals(2, LocalRateLimiter.ceilSeconds(1_000_000_001));
    }

    @Test
    void keysAreIndependent()
    {
        Limit limit = new Limit(1, 2);
        assertTrue(limiter.tryAcquire("one", limit).allowed());
        assertTrue(limiter.tryAcquire("one", limit).allowed());
        assertFalse(limiter.tryAcquire("one", limit).allowed());
        Decision other = limiter.tryAcquire("two", limit);
        assertTrue(other.allowed());
        assertEquals(1, other.remaining());
    }

    @Test
    void aDifferentLimitForTheSameKeyGetsItsOwnBucket()
    {
        assertTrue(limiter.tryAcquire("c", new Limit(1, 1)).allowed());
        assertFalse(limiter.tryAcquire("c", new Limit(1, 1)).allowed());
        Decision reloaded = limiter.tryAcquire("c", new Limit(1, 10));
        assertTrue(reloaded.allowed());
        assertEquals(9, reloaded.remaining());
    }

    @Test
    void dropsBucketsIdleLongEnoughToBeFull()
    {
        Limit limit = new Limit(10, 20); // full again after 2 s, dropped after 3 s idle
        for (int i = 0; i < 100; i++)
            limiter.tryAcquire("client-" + i, limit);
        assertEquals(100, limiter.bucketCount());
        clock.advanceMillis(2_500);
        assertEquals(100, limiter.bucketCount());
        clock.advanceMillis(1_000);
        assertEquals(0, limiter.bucketCount());
    }

    @Test
    void idleTimeIsFillTimePlusMarginAndAtLeastOneSecond()
    {
        long second = TimeUnit.SECONDS.toNanos(1);
        assertEquals(second + LocalRateLimiter.IDLE_MARGIN_NANOS, LocalRateLimiter.idleNanos(new Limit(10, 10)));
        assertEquals(60 * second + LocalRateLimiter.IDLE_MARGIN_NANOS, LocalRateLimiter.idleNanos(new Limit(1, 60)));
        assertTrue(LocalRateLimiter.idleNanos(new Limit(1_000_000, 1)) >= second);
        assertTrue(LocalRateLimiter.idleNanos(new Limit(1, Long.MAX_VALUE)) > 0, "no overflow");
    }

    @Test
    void concurrentCallersNeverShareAToken() throws Exception
    {
        Limit limit = new Limit(1, 1_000);
        LongAdder allowed = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++)
        {
            Thread thread = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (InterruptedException e)
                {
                    return;
                }
                for (int i = 0; i < 500; i++)
                {
                    if (limiter.tryAcquire("shared", limit).allowed())
                        allowed.increment();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads)
            thread.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(1_000, allowed.sum());
    }

    @Test
    void millionClientAddressesKeepBucketsAndHeapBounded()
    {
        LocalRateLimiter bounded = new LocalRateLimiter(10_000, clock);
        Limit limit = new Limit(5, 10);
        long heapAfterWarmUp = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            String address = "10." + ((i >>> 16) & 255) + "." + ((i >>> 8) & 255) + "." + (i & 255);
            bounded.tryAcquire(address, limit);
            if ((i + 1) % 100_000 == 0)
            {
                long count = bounded.bucketCount();
                assertTrue(count <= 10_000, "buckets after " + (i + 1) + " addresses: " + count);
                if (i + 1 == 100_000)
                    heapAfterWarmUp = usedHeapAfterGc();
            }
        }
        long growth = usedHeapAfterGc() - heapAfterWarmUp;
        // 900,000 more buckets kept would need hundreds of MB; a bounded cache needs none more
        assertTrue(growth < 32L * 1024 * 1024, "heap grew by " + growth + " bytes");
    }

    @Test
    void rejectsNonPositiveLimits()
    {
        assertThrows(IllegalArgumentException.class, () -> new Limit(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limit(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LocalRateLimiter(0));
    }

    private static long usedHeapAfterGc()
    {
        for (int i = 0; i < 3; i++)
            System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
