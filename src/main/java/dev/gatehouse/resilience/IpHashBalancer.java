package dev.gatehouse.resilience;

import java.util.List;
import java.util.Set;

/**
 * Sticky by client address, with rendezvous (highest random weight) hashing: each available,
 * non-excluded target gets a pseudo-random score from the client key and the target's URL, and
 * the highest score wins. A client keeps its target while that target is available; when a target
 * becomes unavailable only its clients move, spread over the others, and they return when it
 * recovers. Scores come from a 64-bit mix of the strings' cached hash codes, so a pick costs a
 * few multiplications per target.
 */
public final class IpHashBalancer implements Balancer
{
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    @Override
    public Target pick(List<Target> targets, String clientKey, Set<Target> exclude, boolean panic)
    {
        long client = mix64((clientKey == null ? 0 : clientKey.hashCode()) * GOLDEN + 1);
        Target best = null;
        long bestScore = 0;
        for (int i = 0, n = targets.size(); i < n; i++)
        {
            Target candidate = targets.get(i);
            if (!Balancer.eligible(candidate, exclude, panic))
                continue;
            long score = score(client, candidate);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0)
            {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    static long score(long client, Target target)
    {
        long url = mix64(target.url().hashCode() + GOLDEN);
        return mix64(client ^ url);
    }

    /** The finalizer of MurmurHash3 (fmix64): a bijective mix with good avalanche. */
    static long mix64(long h)
    {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
