package dev.gatehouse.resilience;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Smooth weighted round robin. On first use it builds, from the targets' weights, one cycle of
 * target indices interleaved like nginx's smooth weighted round robin (weights 5:1:1 give
 * {@code a a b a c a a}, not {@code a a a a a b c}), in which each target appears in proportion
 * to its weight. Picks walk that cycle with a cursor, skipping unavailable and excluded targets;
 * the cursor moves past the skipped entries, so each available target's share is its weight over
 * the sum of the available targets' weights.
 */
public final class WeightedBalancer implements Balancer
{
    /**
     * Upper bound on the cycle length (after dividing the weights by their greatest common
     * divisor); larger weight sums are scaled down proportionally. It also bounds the scan of one
     * pick when heavy targets are unavailable.
     */
    static final int MAX_CYCLE = 1 << 12;

    private final AtomicLong cursor = new AtomicLong();
    private volatile int[] cycle;

    @Override
    public Target pick(List<Target> targets, String clientKey, Set<Target> exclude, boolean panic)
    {
        if (targets.isEmpty())
            return null;
        int[] order = cycle;
        if (order == null)
            cycle = order = buildCycle(targets);
        return Balancer.walk(cursor, targets, order, exclude, panic);
    }

    /** One smooth weighted round robin cycle of indices into {@code targets}. */
    static int[] buildCycle(List<Target> targets)
    {
        int n = targets.size();
        long[] weights = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            weights[i] = targets.get(i).weight();
            sum += weights[i];
        }
        long gcd = weights[0];
        for (long w : weights)
            gcd = gcd(gcd, w);
        sum = 0;
        for (int i = 0; i < n; i++)
        {
            weights[i] /= gcd;
            sum += weights[i];
        }
        if (sum > MAX_CYCLE)
        {
            long scaled = 0;
            for (int i = 0; i < n; i++)
            {
                weights[i] = Math.max(1, Math.round((double)weights[i] * MAX_CYCLE / sum));
                scaled += weights[i];
            }
            sum = scaled;
        }
        int[] order = new int[(int)sum];
        long[] current = new long[n];
        for (int slot = 0; slot < order.length; slot++)
        {
            int best = 0;
            for (int i = 0; i < n; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                    best = i;
            }
            current[best] -= sum;
            order[slot] = best;
        }
        return order;
    }

    private static long gcd(long a, long b)
    {
        while (b != 0)
        {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
