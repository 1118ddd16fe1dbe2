package dev.gatehouse.web;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.resilience.UpstreamPool;
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
    private final MetricRegistry metrics = new MetricRegistry();
    private final HealthCheckRegistry healthChecks = new HealthCheckRegistry();
    private final Upstreams upstreams = new Upstreams(metrics);
    private final GatehouseMetrics observability = new GatehouseMetrics(metrics);
    private final dev.gatehouse.cache.ResponseCache cache;
    private final dev.gatehouse.cache.CacheBroadcast cacheBroadcast;
    /** Made on first use: the class speaks the servlet API, which a server-level CONNECT module lacks. */
    private volatile dev.gatehouse.compress.ResponseCompression compression;
    /** Set by the proxy servlet; null until then (the standalone CONNECT module has no servlet API to load). */
    private volatile dev.gatehouse.cache.Refresher cacheRefresher;
    private volatile ConfigWatcher watcher;
    private volatile String sharedAdminPrefix;

    public GatehouseContext(GatehouseConfig config)
    {
        this(Snapshot.build(config));
    }

    public GatehouseContext(Snapshot snapshot)
    {
        this.snapshot = new AtomicReference<>(Objects.requireNonNull(snapshot));
        upstreams.update(snapshot.config());
        registerHealthChecks();
        observability.upstreamStates(this::targetStates);
        metrics.registerAll("jvm.memory", new com.codahale.metrics.jvm.MemoryUsageGaugeSet());
        metrics.registerAll("jvm.gc", new com.codahale.metrics.jvm.GarbageCollectorMetricSet());
        metrics.registerAll("jvm.threads", new com.codahale.metrics.jvm.ThreadStatesGaugeSet());
        this.rateLimiter = newRateLimiter(snapshot.config(), metrics);
        this.cache = new dev.gatehouse.cache.ResponseCache(snapshot.config().cache(), java.time.Clock.systemUTC());
        cache.register(metrics);
        dev.gatehouse.config.CacheConfig.Broadcast broadcast = snapshot.config().cache().broadcast();
        this.cacheBroadcast = broadcast == null ? null : new dev.gatehouse.cache.CacheBroadcast(broadcast, cache, metrics);
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
        cache.resize(next.config().cache());
        snapshot.set(Objects.requireNonNull(next));
    }

    /** Shares admin purges with the other instances through Redis, or null (cache.broadcast.redis.uri unset). */
    public dev.gatehouse.cache.CacheBroadcast cacheBroadcast()
    {
        return cacheBroadcast;
    }

    /** Response compression, shared by the proxy servlet (misses) and the cache (hits). */
    public dev.gatehouse.compress.ResponseCompression compression()
    {
        dev.gatehouse.compress.ResponseCompression c = compression;
        if (c == null)
        {
            synchronized (this)
            {
                if (compression == null)
                    compression = new dev.gatehouse.compress.ResponseCompression();
                c = compression;
            }
        }
        return c;
    }

    /** The response cache (kept across reloads; see docs/caching.md). */
    public dev.gatehouse.cache.ResponseCache cache()
    {
        return cache;
    }

    /** How stale responses are refreshed in the background; the proxy servlet sets it. */
    public dev.gatehouse.cache.Refresher cacheRefresher()
    {
        dev.gatehouse.cache.Refresher r = cacheRefresher;
        return r != null ? r : dev.gatehouse.cache.Refresher.NONE;
    }

    public void cacheRefresher(dev.gatehouse.cache.Refresher refresher)
    {
        this.cacheRefresher = Objects.requireNonNull(refresher);
    }

    /**
     * Local buckets, or buckets shared through Redis ({@code ratelimit.backend=redis}); the
     * backend is chosen at start-up and kept across reloads (limits and keys still reload).
     */
    private static RateLimiter newRateLimiter(GatehouseConfig config, MetricRegistry metrics)
    {
        dev.gatehouse.config.RateLimitBackend backend = config.policy().rateLimitBackend();
        if (!backend.redis())
            return new LocalRateLimiter(config.policy().rateLimitMaxClients());
        dev.gatehouse.policy.RedisRateLimiter redis = new dev.gatehouse.policy.RedisRateLimiter(backend);
        metrics.register("gatehouse.ratelimit.redis.failures", (com.codahale.metrics.Gauge<Long>)redis::failures);
        metrics.register("gatehouse.ratelimit.redis.healthy", (com.codahale.metrics.Gauge<Integer>)() -> redis.healthy() ? 1 : 0);
        return redis;
    }

    private void registerHealthChecks()
    {
        healthChecks.register("configuration", new HealthCheck()
        {
            @Override
            protected Result check()
            {
                return health.isConfigLoaded() ? Result.healthy("loaded") : Result.unhealthy("not loaded");
            }
        });
        healthChecks.register("listeners", new HealthCheck()
        {
            @Override
            protected Result check()
            {
                if (health.isStopping())
                    return Result.unhealthy("draining");
                return health.isStarted() ? Result.healthy("started") : Result.unhealthy("starting");
            }
        });
        healthChecks.register("routes", new HealthCheck()
        {
            @Override
            protected Result check()
            {
                StringBuilder down = new StringBuilder();
                for (RouteConfig route : config().routes())
                {
                    UpstreamPool pool = upstreams.pool(route.name());
                    if (route.resilience().required() && (pool == null || pool.availableCount() == 0))
                        down.append(down.length() == 0 ? "" : ", ").append(route.name());
                }
                return down.length() == 0 ? Result.healthy("every required route has an available target")
                    : Result.unhealthy("no available target: " + down);
            }
        });
    }

    private java.util.List<GatehouseMetrics.TargetState> targetStates()
    {
        java.util.List<GatehouseMetrics.TargetState> states = new java.util.ArrayList<>();
        upstreams.pools().forEach((route, pool) ->
        {
            for (dev.gatehouse.resilience.Target t : pool.targets())
                states.add(new GatehouseMetrics.TargetState(route, t.url(), pool.breakerStateCode(t), t.isHealthy(), t.inFlight()));
        });
        return states;
    }

    /** What the proxy records for Prometheus and the dashboard. */
    public GatehouseMetrics observability()
    {
        return observability;
    }

    /** The one metric registry of this instance. */
    public MetricRegistry metrics()
    {
        return metrics;
    }

    /** The health checks behind {@code /admin/healthcheck}. */
    public HealthCheckRegistry healthChecks()
    {
        return healthChecks;
    }

    /** The upstream pools of the routes (breakers, health, bulkheads), kept across reloads. */
    public Upstreams upstreams()
    {
        return upstreams;
    }

    /** Stops background work (health checks, file polling, the shared rate limiter's connection). */
    public void close()
    {
        if (watcher != null)
            watcher.close();
        upstreams.close();
        if (cacheBroadcast != null)
            cacheBroadcast.close();
        if (rateLimiter instanceof AutoCloseable closeable)
        {
            try
            {
                closeable.close();
            }
            catch (Exception x)
            {
                org.slf4j.LoggerFactory.getLogger(GatehouseContext.class).debug("closing the rate limiter", x);
            }
        }
    }

    public Health health()
    {
        return health;
    }

    public RateLimiter rateLimiter()
    {
        return rateLimiter;
    }

    /**
     * In a WAR the admin endpoints share the application's port under {@code admin.path-prefix};
     * this returns that prefix there (the proxy's policy filters leave those paths to the admin
     * ACL), and null for the embedded server, whose admin listener is separate.
     */
    public String sharedAdminPrefix()
    {
        return sharedAdminPrefix;
    }

    public void sharedAdminPrefix(String prefix)
    {
        this.sharedAdminPrefix = prefix;
    }

    /** True for a request to the admin endpoints on the application's own port (WAR mode). */
    public boolean isAdminRequest(jakarta.servlet.http.HttpServletRequest request)
    {
        String prefix = sharedAdminPrefix;
        return prefix != null && request.getRequestURI().startsWith(prefix)
            && !dev.gatehouse.proxy.Dispatch.of(request, Snapshot.of(request, this)).isThrough();
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
