package dev.gatehouse.web;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.observe.Health;
import dev.gatehouse.policy.LocalRateLimiter;
import dev.gatehouse.policy.RateLimiter;
import jakarta.servlet.ServletContext;

/**
 * What the filters and servlets of one Gatehouse instance share: the current snapshot
 * (configuration plus compiled policy, swapped atomically, never mutated), the rate limiter
 * (whose buckets outlive reloads) and the health state. Stored as a servlet context attribute,
 * so the same wiring works embedded and in a WAR.
 */
public final class GatehouseContext
{
    public static final String ATTRIBUTE = GatehouseContext.class.getName();

    private final AtomicReference<Snapshot> snapshot;
    private final Health health = new Health();
    private final RateLimiter rateLimiter;
    private volatile ConfigWatcher watcher;

    public GatehouseContext(GatehouseConfig config)
    {
        this(Snapshot.build(config));
    }

    public GatehouseContext(Snapshot snapshot)
    {
        this.snapshot = new AtomicReference<>(Objects.requireNonNull(snapshot));
        this.rateLimiter = new LocalRateLimiter(snapshot.config().policy().rateLimitMaxClients());
    }

    public Snapshot snapshot()
    {
        return snapshot.get();
    }

    public GatehouseConfig config()
    {
        return snapshot.get().config();
    }

    /** Replaces the snapshot; requests already running keep the one they started with. */
    public void swap(Snapshot next)
    {
        snapshot.set(Objects.requireNonNull(next));
    }

    public Health health()
    {
        return health;
    }

    public RateLimiter rateLimiter()
    {
        return rateLimiter;
    }

    public ConfigWatcher watcher()
    {
        return watcher;
    }

    public void watcher(ConfigWatcher watcher)
    {
        this.watcher = watcher;
    }

    public static GatehouseContext from(ServletContext servletContext)
    {
        Object value = servletContext.getAttribute(ATTRIBUTE);
        if (value instanceof GatehouseContext context)
            return context;
        throw new IllegalStateException("Gatehouse is not initialised in this context: " + ATTRIBUTE + " is missing");
    }
}
