package dev.gatehouse.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One upstream target of a route's pool: its base URL and weight, whether active health checks
 * consider it healthy, how many requests it is serving now, and whether its circuit breaker
 * lets calls through. Balancers pick among {@link #isAvailable() available} targets only.
 */
public final class Target
{
    private final String url;
    private final int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean healthy = true;
    private volatile BooleanSupplier breakerPermits = () -> true;

    /**
     * @param url    base URL without trailing slash, e.g. {@code http://10.0.0.5:8080}
     * @param weight relative weight for the weighted balancer, at least 1
     */
    public Target(String url, int weight)
    {
        if (weight < 1)
            throw new IllegalArgumentException("weight must be >= 1");
        this.url = url;
        this.weight = weight;
    }

    public String url()
    {
        return url;
    }

    public int weight()
    {
        return weight;
    }

    public boolean isHealthy()
    {
        return healthy;
    }

    public void setHealthy(boolean healthy)
    {
        this.healthy = healthy;
    }

    /** Healthy and its breaker not open. */
    public boolean isAvailable()
    {
        return healthy && breakerPermits.getAsBoolean();
    }

    /** Wires the circuit breaker's view of this target (true while calls are permitted). */
    public void breakerPermits(BooleanSupplier permits)
    {
        this.breakerPermits = permits;
    }

    public int inFlight()
    {
        return inFlight.get();
    }

    /** A request starts on this target. Pair with {@link #release()}. */
    public void acquire()
    {
        inFlight.incrementAndGet();
    }

    public void release()
    {
        inFlight.decrementAndGet();
    }

    @Override
    public String toString()
    {
        return url + (weight != 1 ? ";weight=" + weight : "");
    }
}
