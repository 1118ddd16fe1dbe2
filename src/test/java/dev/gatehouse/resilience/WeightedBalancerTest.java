package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WeightedBalancerTest
{
    private final WeightedBalancer balancer = new WeightedBalancer();

    @Test
    void sharesMatchWeights()
    {
        Target a = new Target("http://a", 3);
        Target b = new Target("http://b", 1);
        Map<Target, Integer> counts = count(List.of(a, b), 10_000);
        assertShare(0.75, counts.get(a), 10_000);
        assertShare(0.25, counts.get(b), 10_000);
    }

    @Test
    void interleavesSmoothlyLikeNginx()
    {
        List<Target> targets = List.of(new Target("http://a", 5), new Target("http://b", 1), new Target("http://c", 1));
        assertArrayEquals(new int[]{0, 0, 1, 0, 2, 0, 0}, WeightedBalancer.buildCycle(targets));
    }

    @Test
    void sharesAdaptWhenATargetBecomesUnavailable()
    {
        Target a = new Target("http://a", 5);
        Target b = new Target("http://b", 3);
        Target c = new Target("http://c", 1);
        List<Target> targets = List.of(a, b, c);
        count(targets, 1_000);
        a.setHealthy(false);
        Map<Target, Integer> counts = count(targets, 10_000);
        assertEquals(null, counts.get(a));
        assertShare(0.75, counts.get(b), 10_000);
        assertShare(0.25, counts.get(c), 10_000);
        a.setHealthy(true);
        counts = count(targets, 9_000);
        assertShare(5 / 9.0, counts.get(a), 9_000);
        assertShare(3 / 9.0, counts.get(b), 9_000);
        assertShare(1 / 9.0, counts.get(c), 9_000);
    }

    @Test
    void exclusionLeavesWeightedSharesOfTheOthers()
    {
        Target a = new Target("http://a", 2);
        Target b = new Target("http://b", 1);
        Target c = new Target("http://c", 4);
        Map<Target, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++)
            counts.merge(balancer.pick(List.of(a, b, c), "k", Set.of(c)), 1, Integer::sum);
        assertShare(2 / 3.0, counts.get(a), 10_000);
        assertShare(1 / 3.0, counts.get(b), 10_000);
    }

    @Test
    void hugeWeightsAreScaledToABoundedCycle()
    {
        Target a = new Target("http://a", 3_000_000);
        Target b = new Target("http://b", 1_000_001);
        int[] cycle = WeightedBalancer.buildCycle(List.of(a, b));
        assertTrue(cycle.length <= WeightedBalancer.MAX_CYCLE + 2, "length " + cycle.length);
        Map<Target, Integer> counts = count(List.of(a, b), 10_000);
        assertShare(0.75, counts.get(a), 10_000);
    }

    @Test
    void commonFactorsOfWeightsAreReduced()
    {
        assertEquals(4, WeightedBalancer.buildCycle(List.of(new Target("http://a", 300), new Target("http://b", 100))).length);
    }

    private static void assertShare(double expected, Integer count, int picks)
    {
        double share = count == null ? 0 : count / (double)picks;
        assertTrue(Math.abs(share - expected) <= 0.02, "share " + share + ", expected " + expected);
    }

    private Map<Target, Integer> count(List<Target> targets, int picks)
    {
        Map<Target, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++)
            counts.merge(balancer.pick(targets, "k", Set.of()), 1, Integer::sum);
        return counts;
    }
}
