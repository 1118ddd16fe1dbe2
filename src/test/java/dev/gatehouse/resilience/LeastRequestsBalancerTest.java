package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LeastRequestsBalancerTest
{
    private final LeastRequestsBalancer balancer = new LeastRequestsBalancer();

    @Test
    void withTwoTargetsAlwaysPicksTheLessLoaded()
    {
        List<Target> targets = BalancerTest.targets(2);
        load(targets.get(0), 10);
        for (int i = 0; i < 10_000; i++)
            assertEquals(targets.get(1), balancer.pick(targets, "c", Set.of()));
    }

    @Test
    void neverPicksTheMostLoadedWhileOthersAreIdle()
    {
        List<Target> targets = BalancerTest.targets(6);
        load(targets.get(3), 5);
        Map<Target, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++)
        {
            Target picked = balancer.pick(targets, "c", Set.of());
            assertNotEquals(targets.get(3), picked);
            counts.merge(picked, 1, Integer::sum);
        }
        assertEquals(5, counts.size(), "idle targets all get traffic: " + counts);
    }

    @Test
    void spreadsEvenlyWhenLoadsAreEqual()
    {
        List<Target> targets = BalancerTest.targets(4);
        Map<Target, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++)
            counts.merge(balancer.pick(targets, "c", Set.of()), 1, Integer::sum);
        for (Target target : targets)
            assertTrue(counts.get(target) > 2_000 && counts.get(target) < 3_000, counts.toString());
    }

    @Test
    void balancesInFlightRequestsThatAreNotReleased()
    {
        List<Target> targets = BalancerTest.targets(4);
        for (int i = 0; i < 4_000; i++)
            balancer.pick(targets, "c", Set.of()).acquire();
        for (Target target : targets)
            assertTrue(Math.abs(target.inFlight() - 1_000) <= 20, targets + " " + target.inFlight());
    }

    @Test
    void comparesOnlyAvailableCandidates()
    {
        List<Target> targets = BalancerTest.targets(3);
        load(targets.get(0), 3);
        targets.get(1).setHealthy(false);
        load(targets.get(2), 7);
        for (int i = 0; i < 1_000; i++)
            assertEquals(targets.get(0), balancer.pick(targets, "c", Set.of()));
    }

    private static void load(Target target, int requests)
    {
        for (int i = 0; i < requests; i++)
            target.acquire();
    }
}
