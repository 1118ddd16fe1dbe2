package dev.gatehouse.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.config.ConfigException;

/** Behaviour every balancer shares, and the factory. */
class BalancerTest
{
    private static final String KEY = "routes.api.balancer";

    static List<Target> targets(int n)
    {
        Target[] targets = new Target[n];
        for (int i = 0; i < n; i++)
            targets[i] = new Target("http://10.0.0." + (i + 1) + ":8080", i + 1);
        return List.of(targets);
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "weighted", "least-requests", "ip-hash"})
    void neverPicksUnavailableTargets(String name)
    {
        Balancer balancer = Balancer.of(KEY, name);
        List<Target> targets = targets(4);
        targets.get(1).setHealthy(false);
        targets.get(3).breakerPermits(() -> false);
        for (int i = 0; i < 1000; i++)
        {
            Target picked = balancer.pick(targets, "192.168.1." + (i % 250), Set.of());
            assertNotNull(picked);
            assertNotEquals(targets.get(1), picked);
            assertNotEquals(targets.get(3), picked);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "weighted", "least-requests", "ip-hash"})
    void neverPicksExcludedTargets(String name)
    {
        Balancer balancer = Balancer.of(KEY, name);
        List<Target> targets = targets(3);
        Set<Target> exclude = Set.of(targets.get(0), targets.get(2));
        for (int i = 0; i < 1000; i++)
            assertEquals(targets.get(1), balancer.pick(targets, "10.1.1." + (i % 250), exclude));
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "weighted", "least-requests", "ip-hash"})
    void returnsNullWhenNoTargetIsAvailable(String name)
    {
        Balancer balancer = Balancer.of(KEY, name);
        List<Target> targets = targets(3);
        targets.get(0).setHealthy(false);
        targets.get(1).breakerPermits(() -> false);
        assertNull(balancer.pick(targets, "10.0.0.9", Set.of(targets.get(2))));
        targets.get(2).setHealthy(false);
        assertNull(balancer.pick(targets, "10.0.0.9", Set.of()));
        assertNull(balancer.pick(List.of(), "10.0.0.9", Set.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"round-robin", "weighted", "least-requests", "ip-hash"})
    void picksTheOnlyAvailableTargetAndAcceptsMissingClientKey(String name)
    {
        Balancer balancer = Balancer.of(KEY, name);
        List<Target> targets = targets(3);
        targets.get(0).setHealthy(false);
        targets.get(2).setHealthy(false);
        for (int i = 0; i < 100; i++)
            assertEquals(targets.get(1), balancer.pick(targets, null, Set.of()));
    }

    @Test
    void factoryCreatesEachKindAsAFreshInstance()
    {
        assertInstanceOf(RoundRobinBalancer.class, Balancer.of(KEY, "round-robin"));
        assertInstanceOf(WeightedBalancer.class, Balancer.of(KEY, "weighted"));
        assertInstanceOf(LeastRequestsBalancer.class, Balancer.of(KEY, "least-requests"));
        assertInstanceOf(IpHashBalancer.class, Balancer.of(KEY, "ip-hash"));
        assertNotEquals(Balancer.of(KEY, "round-robin"), Balancer.of(KEY, "round-robin"));
    }

    @Test
    void factoryRejectsUnknownNamesNamingKeyAndValue()
    {
        ConfigException e = assertThrows(ConfigException.class, () -> Balancer.of(KEY, "random"));
        assertEquals(KEY, e.key());
        assertEquals(KEY + " must be round-robin, weighted, least-requests or ip-hash, but was 'random'", e.getMessage());
        assertThrows(ConfigException.class, () -> Balancer.of(KEY, null));
        assertThrows(ConfigException.class, () -> Balancer.of(KEY, "Round-Robin"));
    }
}
