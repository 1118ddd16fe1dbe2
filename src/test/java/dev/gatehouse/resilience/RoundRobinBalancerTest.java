package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest
{
    private final RoundRobinBalancer balancer = new RoundRobinBalancer();

    @Test
    void cyclesThroughTargetsInOrder()
    {
        List<Target> targets = BalancerTest.targets(3);
        for (int i = 0; i < 9; i++)
            assertEquals(targets.get(i % 3), balancer.pick(targets, "c", Set.of()));
    }

    @Test
    void sharesAreEven()
    {
        List<Target> targets = BalancerTest.targets(4);
        Map<Target, Integer> counts = count(targets, 10_000);
        for (Target target : targets)
            assertEquals(2_500, counts.get(target));
    }

    @Test
    void remainingTargetsStayEvenWhenOneIsUnavailable()
    {
        List<Target> targets = BalancerTest.targets(3);
        targets.get(0).setHealthy(false);
        Map<Target, Integer> counts = count(targets, 10_000);
        assertEquals(5_000, counts.get(targets.get(1)));
        assertEquals(5_000, counts.get(targets.get(2)));
    }

    @Test
    void concurrentPicksReturnOnlyAvailableTargets() throws Exception
    {
        List<Target> targets = BalancerTest.targets(5);
        targets.get(2).setHealthy(false);
        Map<Target, LongAdder> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try
        {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                futures.add(pool.submit(() ->
                {
                    for (int i = 0; i < 100_000; i++)
                    {
                        Target picked = balancer.pick(targets, "c", Set.of());
                        if (picked == null || !picked.isAvailable())
                            throw new AssertionError("picked " + picked);
                        counts.computeIfAbsent(picked, k -> new LongAdder()).increment();
                    }
                }));
            }
            for (Future<?> future : futures)
                future.get(60, TimeUnit.SECONDS);
        }
        finally
        {
            pool.shutdownNow();
        }
        assertEquals(4, counts.size());
        long total = counts.values().stream().mapToLong(LongAdder::sum).sum();
        assertEquals(400_000, total);
        for (LongAdder count : counts.values())
            assertTrue(Math.abs(count.sum() - 100_000) < 5_000, "uneven: " + counts);
    }

    private Map<Target, Integer> count(List<Target> targets, int picks)
    {
        Map<Target, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++)
            counts.merge(balancer.pick(targets, "c", Set.of()), 1, Integer::sum);
        return counts;
    }
}
