package dev.gatehouse.support;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The fastest of several timed runs of the same work, for speed checks in tests: a run that another
 * process preempted (a busy build machine) says nothing about the code, the fastest run does.
 *
 * @param nanos  the fastest run's duration
 * @param result what that run returned (the same every run, for deterministic work)
 */
public record Timing(long nanos, int result)
{
    public static Timing bestOf(int rounds, IntSupplier work)
    {
        long best = Long.MAX_VALUE;
        int result = 0;
        for (int round = 0; round < rounds; round++)
        {
            long start = System.nanoTime();
            result = work.getAsInt();
            best = Math.min(best, System.nanoTime() - start);
        }
        return new Timing(best, result);
    }

    /** {@link #bestOf} of testing every item; the result is how many passed. */
    public static <T> Timing bestCount(int rounds, List<T> items, Predicate<? super T> test)
    {
        return bestOf(rounds, () ->
        {
            int n = 0;
            for (T item : items)
                n += test.test(item) ? 1 : 0;
            return n;
        });
    }
}
