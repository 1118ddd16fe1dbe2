package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RetryBudgetTest
{
    private static final long SECOND = 1_000_000_000L;

    /** Starts at an arbitrary (even negative) nanoTime, as System.nanoTime may. */
    private final AtomicLong clock = new AtomicLong(-7_300_000_000L);

    private RetryBudget budget(double ratio, int windowSeconds, int minPerSecond)
    {
        return new RetryBudget(ratio, Duration.ofSeconds(windowSeconds), minPerSecond, clock::get);
    }

    @Test
    void allowsAboutRatioOfRequestsAsRetries()
    {
        RetryBudget budget = budget(0.2, 10, 0);
        for (int i = 0; i < 1_000; i++)
            budget.onRequest();
        assertEquals(200, acquireAll(budget));
    }

    @Test
    void countsRequestsAcrossTheWholeWindow()
    {
        RetryBudget budget = budget(0.1, 10, 0);
        for (int s = 0; s < 10; s++)
        {
            for (int i = 0; i < 100; i++)
                budget.onRequest();
            clock.addAndGet(SECOND);
        }
        clock.addAndGet(-SECOND);
        assertEquals(100, acquireAll(budget));
    }

    @Test
    void recoversAfterTheWindowPasses()
    {
        RetryBudget budget = budget(0.5, 5, 0);
        for (int i = 0; i < 100; i++)
            budget.onRequest();
        assertEquals(50, acquireAll(budget));
        clock.addAndGet(5 * SECOND);
        assertFalse(budget.tryAcquireRetry(), "old requests left the window too");
        for (int i = 0; i < 10; i++)
            budget.onRequest();
        assertEquals(5, acquireAll(budget), "old retries no longer count");
    }

    @Test
    void retriesExpireSecondBySecond()
    {
        RetryBudget budget = budget(1.0, 3, 0);
        for (int s = 0; s < 3; s++)
        {
            for (int i = 0; i < 10; i++)
                budget.onRequest();
            assertEquals(10, acquireAll(budget));
            clock.addAndGet(SECOND);
        }
        // now the first second has left: 20 requests and 20 retries remain in the window
        assertFalse(budget.tryAcquireRetry());
        for (int i = 0; i < 4; i++)
            budget.onRequest();
        assertEquals(4, acquireAll(budget));
    }

    @Test
    void minimumPerSecondAppliesWithFewRequests()
    {
        RetryBudget budget = budget(0.2, 10, 3);
        assertEquals(30, acquireAll(budget), "3 per second over a 10s window with no requests at all");
        for (int i = 0; i < 200; i++)
            budget.onRequest();
        assertEquals(10, acquireAll(budget), "ratio takes over once it allows more: 0.2 * 200 = 40");
    }

    @Test
    void zeroRatioAndMinimumAllowsNoRetries()
    {
        RetryBudget budget = budget(0, 10, 0);
        for (int i = 0; i < 100; i++)
            budget.onRequest();
        assertFalse(budget.tryAcquireRetry());
    }

    @Test
    void partialSecondsRoundTheWindowUp()
    {
        RetryBudget budget = new RetryBudget(0, Duration.ofMillis(1500), 4, clock::get);
        assertEquals(8, acquireAll(budget));
    }

    @Test
    void rejectsInvalidSettings()
    {
        assertThrows(IllegalArgumentException.class, () -> budget(-0.1, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(Double.NaN, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(0.1, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(0.1, Duration.ofDays(1), 0));
        assertThrows(IllegalArgumentException.class, () -> budget(0.1, 10, -1));
    }

    @Test
    void worksWithTheSystemClock()
    {
        RetryBudget budget = new RetryBudget(0.5, Duration.ofSeconds(10), 0);
        budget.onRequest();
        budget.onRequest();
        assertTrue(budget.tryAcquireRetry());
    }

    private static int acquireAll(RetryBudget budget)
    {
        int granted = 0;
        while (budget.tryAcquireRetry())
        {
            if (++granted > 1_000_000)
                throw new AssertionError("unbounded");
        }
        return granted;
    }
}
