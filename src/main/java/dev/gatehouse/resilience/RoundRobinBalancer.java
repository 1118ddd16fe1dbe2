package dev.gatehouse.resilience;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cycles through the targets in order, skipping unavailable and excluded ones. The cursor moves
 * past the skipped targets too (by compare-and-set), so the remaining targets keep equal shares
 * instead of the target after a skipped one receiving its share as well.
 */
public final class RoundRobinBalancer implements Balancer
{
    private final AtomicLong cursor = new AtomicLong();

    @Override
    public Target pick(List<Target> targets, String clientKey, Set<Target> exclude, boolean panic)
    {
        return Balancer.walk(cursor, targets, null, exclude, panic);
    }
}
