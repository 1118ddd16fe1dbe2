package dev.gatehouse.resilience;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cycles through the targets in order, skipping unavailable and excluded ones. The cursor moves
 * past the skipped targets too (by compare-and-set), so the remaining targets keep equal shares
 * instead of the target after a skipped one receiving its share as well.
 */
public final class RoundRobinBalancer implements Balancer
{
    private final AtomicInteger cursor = new AtomicInteger();

    @Override
    public Target pick(List<Target> targets, String clientKey, Set<Target> exclude, boolean panic)
    {
        int n = targets.size();
        if (n == 0)
            return null;
        while (true)
        {
            int current = cursor.get();
            int start = Math.floorMod(current, n);
            Target found = null;
            int offset = 0;
            for (; offset < n; offset++)
            {
                Target candidate = targets.get((start + offset) % n);
                if (Balancer.eligible(candidate, exclude, panic))
                {
                    found = candidate;
                    break;
                }
            }
            if (found == null)
                return null;
            if (cursor.compareAndSet(current, current + offset + 1))
                return found;
        }
    }
}
