package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class IpHashBalancerTest
{
    private static final int CLIENTS = 10_000;

    private final IpHashBalancer balancer = new IpHashBalancer();

    @Test
    void aClientStaysOnItsTarget()
    {
        List<Target> targets = BalancerTest.targets(4);
        for (int c = 0; c < 100; c++)
        {
            String client = client(c);
            Target first = balancer.pick(targets, client, Set.of());
            for (int i = 0; i < 20; i++)
                assertEquals(first, balancer.pick(targets, client, Set.of()));
            assertEquals(first, new IpHashBalancer().pick(targets, client, Set.of()), "independent of the instance");
        }
    }

    @Test
    void spreadsDistinctClientsEvenly()
    {
        List<Target> targets = BalancerTest.targets(4);
        Map<Target, Integer> counts = new HashMap<>();
        for (int c = 0; c < CLIENTS; c++)
            counts.merge(balancer.pick(targets, client(c), Set.of()), 1, Integer::sum);
        for (Target target : targets)
        {
            double share = counts.getOrDefault(target, 0) / (double)CLIENTS;
            assertTrue(share >= 0.20 && share <= 0.30, target + " has share " + share + " of " + counts);
        }
    }

    @Test
    void onlyTheClientsOfAnUnavailableTargetMove()
    {
        List<Target> targets = BalancerTest.targets(4);
        Target[] before = new Target[CLIENTS];
        for (int c = 0; c < CLIENTS; c++)
            before[c] = balancer.pick(targets, client(c), Set.of());
        Target down = targets.get(2);
        down.setHealthy(false);
        Map<Target, Integer> moved = new HashMap<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            Target after = balancer.pick(targets, client(c), Set.of());
            if (before[c] == down)
            {
                assertNotEquals(down, after);
                moved.merge(after, 1, Integer::sum);
            }
            else
            {
                assertEquals(before[c], after, "client " + c + " moved although its target stayed up");
            }
        }
        assertEquals(3, moved.size(), "the displaced clients spread over all others: " + moved);
        down.setHealthy(true);
        for (int c = 0; c < CLIENTS; c++)
            assertEquals(before[c], balancer.pick(targets, client(c), Set.of()), "clients return after recovery");
    }

    @Test
    void excludingTheStickyTargetPicksTheClientsNextChoiceConsistently()
    {
        List<Target> targets = BalancerTest.targets(4);
        String client = "203.0.113.7";
        Target first = balancer.pick(targets, client, Set.of());
        Target second = balancer.pick(targets, client, Set.of(first));
        assertNotEquals(first, second);
        first.setHealthy(false);
        assertEquals(second, balancer.pick(targets, client, Set.of()));
    }

    private static String client(int c)
    {
        return "10." + (c >> 16 & 0xff) + "." + (c >> 8 & 0xff) + "." + (c & 0xff);
    }
}
