package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest
{
    @Test
    void capDoublesPerAttemptUpToTheMaximum()
    {
        assertEquals(100, Backoff.capMillis(1, 100, 5_000));
        assertEquals(200, Backoff.capMillis(2, 100, 5_000));
        assertEquals(400, Backoff.capMillis(3, 100, 5_000));
        assertEquals(3_200, Backoff.capMillis(6, 100, 5_000));
        assertEquals(5_000, Backoff.capMillis(7, 100, 5_000));
        assertEquals(5_000, Backoff.capMillis(1_000, 100, 5_000));
        assertEquals(Long.MAX_VALUE, Backoff.capMillis(Integer.MAX_VALUE, 3, Long.MAX_VALUE));
    }

    @Test
    void delaysStayWithinZeroAndTheCap()
    {
        for (int attempt = 1; attempt <= 12; attempt++)
        {
            long cap = Backoff.capMillis(attempt, 50, 2_000);
            for (int i = 0; i < 1_000; i++)
            {
                long delay = Backoff.delayMillis(attempt, 50, 2_000);
                assertTrue(delay >= 0 && delay <= cap, "attempt " + attempt + " gave " + delay);
            }
        }
    }

    @Test
    void delaysGrowWithAttemptsOnAverage()
    {
        double previous = 0;
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            double mean = mean(attempt, 100, 10_000);
            double expected = Backoff.capMillis(attempt, 100, 10_000) / 2.0;
            assertTrue(Math.abs(mean - expected) < expected * 0.1, "attempt " + attempt + " mean " + mean);
            assertTrue(mean > previous * 1.5, "attempt " + attempt + " mean " + mean + " after " + previous);
            previous = mean;
        }
    }

    @Test
    void zeroBaseMeansNoDelay()
    {
        assertEquals(0, Backoff.delayMillis(3, 0, 1_000));
    }

    @Test
    void rejectsInvalidArguments()
    {
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMillis(0, 100, 1_000));
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMillis(1, -1, 1_000));
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMillis(1, 100, 50));
    }

    private static double mean(int attempt, long base, long max)
    {
        long sum = 0;
        int samples = 20_000;
        for (int i = 0; i < samples; i++)
            sum += Backoff.delayMillis(attempt, base, max);
        return sum / (double)samples;
    }
}
