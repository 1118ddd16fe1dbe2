package dev.gatehouse.resilience;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: picks two distinct random targets among the available, non-excluded ones
 * and returns the one with fewer {@link Target#inFlight() requests in flight}. This avoids both
 * the herding of "always the least loaded" and a full scan of the loads. With one candidate it
 * returns that one.
 */
public final class LeastRequestsBalancer implements Balancer
{
    @Override
    public Target pick(List<Target> targets, String clientKey, Set<Target> exclude, boolean panic)
    {
        int n = targets.size();
        int[] candidates = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (Balancer.eligible(targets.get(i), exclude, panic))
                candidates[count++] = i;
        }
        if (count == 0)
            return null;
        if (count == 1)
            return targets.get(candidates[0]);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(count);
        int b = random.nextInt(count - 1);
        if (b >= a)
            b++;
        Target first = targets.get(candidates[a]);
        Target second = targets.get(candidates[b]);
        return second.inFlight() < first.inFlight() ? second : first;
    }
}
