package dev.gatehouse.resilience;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.config.ConfigException;

/**
 * Chooses the upstream target for one attempt of a request. One instance serves one route for the
 * life of one configuration snapshot: the list of targets passed to {@link #pick} is always the
 * same list, while each target's {@link Target#isAvailable() availability} changes at any time.
 * Implementations are lock-free and safe for concurrent use.
 */
public interface Balancer
{
    /**
     * Picks an available target ({@link Target#isAvailable()}) that is not in {@code exclude}.
     *
     * @param targets   the route's targets, the same list on every call
     * @param clientKey the client address (used by ip-hash), may be null
     * @param exclude   targets not to pick, e.g. those a retry already tried; {@code Set.of()} for none
     * @return the chosen target, or null if none is available
     */
    default Target pick(List<Target> targets, String clientKey, Set<Target> exclude)
    {
        return pick(targets, clientKey, exclude, false);
    }

    /**
     * As {@link #pick(List, String, Set)}; with {@code panic} every target not excluded counts as
     * available, whatever its health and breaker say (the route has no available target left).
     */
    Target pick(List<Target> targets, String clientKey, Set<Target> exclude, boolean panic);

    /**
     * Creates a fresh balancer by its configuration name.
     *
     * @param key  the configuration key, for the error message
     * @param name {@code round-robin}, {@code weighted}, {@code least-requests} or {@code ip-hash}
     * @throws ConfigException for any other name
     */
    static Balancer of(String key, String name)
    {
        if (name != null)
        {
            switch (name)
            {
                case "round-robin":
                    return new RoundRobinBalancer();
                case "weighted":
                    return new WeightedBalancer();
                case "least-requests":
                    return new LeastRequestsBalancer();
                case "ip-hash":
                    return new IpHashBalancer();
                default:
                    break;
            }
        }
        throw ConfigException.invalid(key, "must be round-robin, weighted, least-requests or ip-hash", name);
    }

    /** True if the target may be picked now: available (or any target, in panic) and not excluded. */
    static boolean eligible(Target target, Set<Target> exclude, boolean panic)
    {
        return (panic || target.isAvailable()) && (exclude.isEmpty() || !exclude.contains(target));
    }

    /**
     * The round-robin walk both cyclic balancers share: from the cursor, the first eligible target
     * of a ring of positions; the pick is claimed by moving the cursor past it (compare-and-set,
     * so skipped positions are passed over and the remaining targets keep their shares). Returns
     * null when no target is eligible.
     *
     * @param order the target index of each ring position, or null for the targets in list order
     */
    static Target walk(AtomicLong cursor, List<Target> targets, int[] order, Set<Target> exclude, boolean panic)
    {
        int length = order == null ? targets.size() : order.length;
        if (length == 0)
            return null;
        while (true)
        {
            long current = cursor.get();
            int start = (int)Math.floorMod(current, (long)length);
            int offset = 0;
            Target found = null;
            for (; offset < length && found == null; offset++)
            {
                int index = start + offset < length ? start + offset : start + offset - length;
                Target candidate = targets.get(order == null ? index : order[index]);
                if (eligible(candidate, exclude, panic))
                    found = candidate;
            }
            if (found == null)
                return null;
            if (cursor.compareAndSet(current, current + offset))
                return found;
        }
    }
}
