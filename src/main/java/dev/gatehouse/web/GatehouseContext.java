package dev.gatehouse.web;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.observe.Health;
import dev.gatehouse.policy.LocalRateLimiter;
import dev.gatehouse.policy.RateLimiter;
import dev.gatehouse.resilience.Upstreams;
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
    private final Upstreams upstreams = new Upstreams();
    private volatile ConfigWatcher watcher;

    public GatehouseContext(GatehouseConfig config)
    {
        this(Snapshot.build(config));
    }

    public GatehouseContext(Snapshot snapshot)
    {
        this.snapshot = new AtomicReference<>(Objects.requireNonNull(snapshot));
        upstreams.update(snapshot.config());
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
        upstreams.update(next.config());
        snapshot.set(Objects.requireNonNull(next));
    }

    /** The upstream pools of the routes (breakers, health, bulkheads), kept across reloads. */
    public Upstreams upstreams()
    {
        return upstreams;
    }

    /** Stops background work (health checks, file polling). */
    public void close()
    {
        if (watcher != null)
            watcher.close();
        upstreams.close();
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
