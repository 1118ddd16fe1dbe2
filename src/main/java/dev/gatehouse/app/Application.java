package dev.gatehouse.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import dev.gatehouse.admin.ProfileServlet;
import dev.gatehouse.admin.ReloadServlet;
import dev.gatehouse.cache.CacheAdminServlet;
import dev.gatehouse.cache.CacheBroadcast;
import dev.gatehouse.cache.CacheFilter;
import dev.gatehouse.cache.CacheParticipant;
import dev.gatehouse.cache.CacheRefresh;
import dev.gatehouse.cache.Refresher;
import dev.gatehouse.cache.ResponseCache;
import dev.gatehouse.cli.CliService;
import dev.gatehouse.cli.CliServlet;
import dev.gatehouse.compress.Brotli;
import dev.gatehouse.compress.CompressionParticipant;
import dev.gatehouse.compress.ResponseCompression;
import dev.gatehouse.config.CacheConfig;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.filter.AccessControlFilter;
import dev.gatehouse.filter.AccessLogFilter;
import dev.gatehouse.filter.AdminAccessFilter;
import dev.gatehouse.filter.DestinationPolicyFilter;
import dev.gatehouse.filter.LocalEndpointFilter;
import dev.gatehouse.filter.ProxyAuthFilter;
import dev.gatehouse.filter.RateLimitFilter;
import dev.gatehouse.filter.RequestIdFilter;
import dev.gatehouse.filter.RequestLimitsFilter;
import dev.gatehouse.filter.SecurityHeadersFilter;
import dev.gatehouse.observe.DashboardServlet;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.observe.Health;
import dev.gatehouse.observe.HealthServlet;
import dev.gatehouse.policy.RateLimiter;
import dev.gatehouse.proxy.ContentTypeBlocking;
import dev.gatehouse.proxy.GatehouseProxyServlet;
import dev.gatehouse.proxy.ProxyParticipant;
import dev.gatehouse.proxy.RouteHeaderEdits;
import dev.gatehouse.proxy.UpstreamAccounting;
import dev.gatehouse.resilience.Target;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.web.Wiring;
import io.dropwizard.metrics.servlets.AdminServlet;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import io.dropwizard.metrics.servlets.MetricsServlet;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse instance: builds every component once, publishes each under its own servlet-context
 * attribute, and registers the filters and servlets. The only place that knows every feature;
 * the embedded server ({@code server.GatehouseServer}) and the WAR's {@link GatehouseWebListener}
 * both come through {@link #install}. Speaks only the servlet API, so the WAR carries it (the
 * WAR leaves out {@code server} and {@code tunnel}, which need Jetty's server classes).
 */
public final class Application
{
    /** Where {@link #install} puts the endpoints. */
    public enum Deployment
    {
        /** The embedded server's proxy context: the filter chain, the proxy servlet, the CLI. */
        EMBEDDED_PROXY,
        /** The embedded server's admin context, on its own listener, at the root. */
        EMBEDDED_ADMIN,
        /** A WAR: the proxy and, under {@code admin.path-prefix}, the admin endpoints in one context. */
        WAR
    }

    /**
     * A filter of the proxy chain: mapped to every path, or (the cache lookup) to the proxy
     * servlet by name, which the servlet specification runs after every path mapping.
     */
    public record ChainFilter(String name, Class<? extends Filter> type, EnumSet<DispatcherType> dispatches, boolean byServletName)
    {
    }

    /**
     * The proxy's filter chain, in order, the same embedded and in any container. The request id
     * comes first so every answer carries it; security headers before the refusing filters so that
     * their refusals carry them too; the cache lookup last, also on ASYNC dispatches (collapsed
     * misses and answers from cache come back through it).
     */
    public static final List<ChainFilter> PROXY_FILTERS = List.of(
        chain(Wiring.REQUEST_ID_FILTER, RequestIdFilter.class),
        chain(Wiring.ACCESS_LOG_FILTER, AccessLogFilter.class),
        chain("securityHeaders", SecurityHeadersFilter.class),
        chain("accessControl", AccessControlFilter.class),
        chain("proxyAuth", ProxyAuthFilter.class),
        chain("rateLimit", RateLimitFilter.class),
        chain("requestLimits", RequestLimitsFilter.class),
        chain("destinationPolicy", DestinationPolicyFilter.class),
        new ChainFilter(Wiring.CACHE_FILTER, CacheFilter.class, EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), true));

    /** The proxy servlet's own thread pool in a WAR: Tomcat has no Jetty executor to lend its HttpClient. */
    static final String WAR_PROXY_MAX_THREADS = "128";

    private final GatehouseContext context;
    private final MetricRegistry metrics = new MetricRegistry();
    private final HealthCheckRegistry healthChecks = new HealthCheckRegistry();
    private final GatehouseMetrics gatehouseMetrics = new GatehouseMetrics(metrics);
    private final Health health = new Health();
    private final Upstreams upstreams = new Upstreams(metrics);
    private final RateLimiter rateLimiter;
    private final ResponseCache cache;
    private final CacheBroadcast cacheBroadcast;
    private final ResponseCompression compression = new ResponseCompression();
    private volatile CliService cli;

    public Application(Snapshot snapshot)
    {
        GatehouseConfig config = snapshot.config();
        this.context = new GatehouseContext(snapshot);
        upstreams.update(config);
        registerHealthChecks();
        gatehouseMetrics.upstreamStates(this::targetStates);
        metrics.registerAll("jvm.memory", new MemoryUsageGaugeSet());
        metrics.registerAll("jvm.gc", new GarbageCollectorMetricSet());
        metrics.registerAll("jvm.threads", new ThreadStatesGaugeSet());
        this.rateLimiter = RateLimiter.create(config, metrics);
        this.cache = new ResponseCache(config.cache(), Clock.systemUTC());
        cache.register(metrics);
        CacheConfig.Broadcast broadcast = config.cache().broadcast();
        this.cacheBroadcast = broadcast == null ? null : new CacheBroadcast(broadcast, cache, metrics);
        context.onSwap(next ->
        {
            upstreams.update(next.config());
            cache.resize(next.config().cache());
        });
    }

    private static ChainFilter chain(String name, Class<? extends Filter> type)
    {
        return new ChainFilter(name, type, EnumSet.of(DispatcherType.REQUEST), false);
    }

    /**
     * Publishes the components in the servlet context, then registers the filters and servlets
     * of the deployment. Call while the context initialises (a listener, or before an embedded
     * context starts).
     */
    public void install(ServletContext servletContext, Deployment deployment)
    {
        publish(servletContext);
        GatehouseConfig config = context.config();
        List<String> local = new ArrayList<>();
        if (deployment != Deployment.EMBEDDED_ADMIN)
        {
            for (ChainFilter f : PROXY_FILTERS)
            {
                FilterRegistration.Dynamic filter = filter(servletContext, f.name(), f.type());
                if (f.byServletName())
                    filter.addMappingForServletNames(f.dispatches(), true, Wiring.PROXY_SERVLET);
                else
                    filter.addMappingForUrlPatterns(f.dispatches(), true, "/*");
            }
            publishParticipants(servletContext);
            ServletRegistration.Dynamic proxy = servletContext.addServlet(Wiring.PROXY_SERVLET, GatehouseProxyServlet.class);
            proxy.setAsyncSupported(true);
            proxy.setLoadOnStartup(1);
            if (deployment == Deployment.WAR)
                proxy.setInitParameter("maxThreads", WAR_PROXY_MAX_THREADS);
            proxy.addMapping("/*");
        }
        else
        {
            filter(servletContext, Wiring.REQUEST_ID_FILTER, RequestIdFilter.class)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        }
        if (deployment != Deployment.EMBEDDED_PROXY)
        {
            String prefix = deployment == Deployment.WAR ? config.adminPathPrefix() : "/";
            if (deployment == Deployment.WAR)
                context.sharedAdminPrefix(servletContext.getContextPath() + prefix);
            installAdmin(servletContext, config, prefix, deployment == Deployment.WAR ? prefix + "*" : "/");
            if (deployment == Deployment.WAR)
                local.addAll(List.of(Wiring.HEALTH_SERVLET, Wiring.RELOAD_SERVLET, Wiring.CACHE_ADMIN_SERVLET,
                    Wiring.ADMIN_SERVLET, Wiring.PROMETHEUS_SERVLET, Wiring.DASHBOARD_SERVLET, Wiring.CLI_SERVLET));
        }
        if (deployment != Deployment.EMBEDDED_ADMIN && config.cli().enabled())
        {
            // mounted only when enabled, so a disabled CLI never shadows a reverse route under its prefix
            cli = CliService.install(servletContext, config.cli(), metrics, gatehouseMetrics, config.idleTimeout());
            ServletRegistration.Dynamic cliServlet = servletContext.addServlet(Wiring.CLI_SERVLET, CliServlet.class);
            cliServlet.setAsyncSupported(true);
            cliServlet.addMapping(config.cli().pathPrefix() + "*");
            if (!local.contains(Wiring.CLI_SERVLET))
                local.add(Wiring.CLI_SERVLET);
        }
        if (!local.isEmpty())
        {
            // every endpoint served here rather than proxied: requests through the proxy go to the proxy servlet instead
            filter(servletContext, Wiring.LOCAL_ENDPOINT_FILTER, LocalEndpointFilter.class)
                .addMappingForServletNames(Wiring.LOCAL_ENDPOINT_DISPATCHES, true, local.toArray(String[]::new));
        }
    }

    /**
     * The proxy servlet's per-request participants, in the order it calls them (see
     * docs/architecture.md, "Per-request participants"), and the cache's background refresh,
     * which goes through the proxy servlet's {@code BackgroundRequests}.
     */
    private void publishParticipants(ServletContext servletContext)
    {
        if (context.config().protocols().compression().enabled())
            Brotli.available(); // loads the native library now; logs once if it cannot
        List<ProxyParticipant> participants = List.of(
            new UpstreamAccounting(gatehouseMetrics),
            new RouteHeaderEdits(),
            new CompressionParticipant(compression, request -> Snapshot.of(request, context).config().protocols().compression()),
            new CacheParticipant(),
            new ContentTypeBlocking(context, gatehouseMetrics));
        servletContext.setAttribute(ProxyParticipant.ATTRIBUTE, participants);
        servletContext.setAttribute(Refresher.ATTRIBUTE, new CacheRefresh(context, cache));
    }

    /** The admin endpoints under {@code prefix} ("/" on the embedded admin listener). */
    private void installAdmin(ServletContext servletContext, GatehouseConfig config, String prefix, String dashboard)
    {
        filter(servletContext, Wiring.ADMIN_ACCESS_FILTER, AdminAccessFilter.class)
            .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, prefix + "*");
        ServletRegistration.Dynamic healthServlet = servletContext.addServlet(Wiring.HEALTH_SERVLET, HealthServlet.class);
        healthServlet.setAsyncSupported(true);
        healthServlet.addMapping(prefix + "health/*");
        servletContext.addServlet(Wiring.RELOAD_SERVLET, ReloadServlet.class).addMapping(prefix + "admin/reload");
        servletContext.addServlet(Wiring.CACHE_ADMIN_SERVLET, CacheAdminServlet.class)
            .addMapping(prefix + "admin/cache", prefix + "admin/cache/*");
        servletContext.setInitParameter(Wiring.CPU_PROFILE_ENABLED, Boolean.toString(config.adminProfiling()));
        servletContext.addServlet(Wiring.ADMIN_SERVLET, AdminServlet.class).addMapping(prefix + "admin/*");
        servletContext.addServlet(Wiring.PROFILE_SERVLET, ProfileServlet.class).addMapping(prefix + "admin/pprof");
        servletContext.addServlet(Wiring.PROMETHEUS_SERVLET, new PrometheusMetricsServlet(gatehouseMetrics.prometheus()))
            .addMapping(prefix + "metrics");
        servletContext.addServlet(Wiring.DASHBOARD_SERVLET, DashboardServlet.class).addMapping(dashboard);
    }

    private static FilterRegistration.Dynamic filter(ServletContext servletContext, String name, Class<? extends Filter> type)
    {
        FilterRegistration.Dynamic filter = servletContext.addFilter(name, type);
        filter.setAsyncSupported(true);
        return filter;
    }

    /**
     * Each component under its own attribute; the registries where Dropwizard's admin servlets
     * look for them (before {@link AdminServlet} initialises).
     */
    private void publish(ServletContext servletContext)
    {
        servletContext.setAttribute(GatehouseContext.ATTRIBUTE, context);
        servletContext.setAttribute(MetricsServlet.METRICS_REGISTRY, metrics);
        servletContext.setAttribute(HealthCheckServlet.HEALTH_CHECK_REGISTRY, healthChecks);
        servletContext.setAttribute(GatehouseMetrics.ATTRIBUTE, gatehouseMetrics);
        servletContext.setAttribute(Health.ATTRIBUTE, health);
        servletContext.setAttribute(Upstreams.ATTRIBUTE, upstreams);
        servletContext.setAttribute(RateLimiter.ATTRIBUTE, rateLimiter);
        servletContext.setAttribute(ResponseCache.ATTRIBUTE, cache);
        servletContext.setAttribute(ResponseCompression.ATTRIBUTE, compression);
        if (cacheBroadcast != null)
            servletContext.setAttribute(CacheBroadcast.ATTRIBUTE, cacheBroadcast);
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
                for (RouteConfig route : context.config().routes())
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

    private List<GatehouseMetrics.TargetState> targetStates()
    {
        List<GatehouseMetrics.TargetState> states = new ArrayList<>();
        upstreams.pools().forEach((route, pool) ->
        {
            for (Target t : pool.targets())
                states.add(new GatehouseMetrics.TargetState(route, t.url(), pool.breakerStateCode(t), t.isHealthy(), t.inFlight()));
        });
        return states;
    }

    /**
     * The first steps of a stop: readiness goes down, CLI children are killed (their streams end
     * before the drain), collapsed misses still waiting go upstream now instead of at their timeout.
     */
    public void stopping()
    {
        health.stopping();
        CliService c = cli;
        if (c != null)
            c.close();
        cache.releaseWaiters();
    }

    /** Stops background work (file polling, health checks, the shared rate limiter's and broadcast's connections). */
    public void close()
    {
        context.close();
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
                LoggerFactory.getLogger(Application.class).debug("closing the rate limiter", x);
            }
        }
    }

    public GatehouseContext context()
    {
        return context;
    }

    public GatehouseConfig config()
    {
        return context.config();
    }

    /** The one metric registry of this instance. */
    public MetricRegistry metrics()
    {
        return metrics;
    }

    /** What the proxy records for Prometheus and the dashboard. */
    public GatehouseMetrics gatehouseMetrics()
    {
        return gatehouseMetrics;
    }

    public HealthCheckRegistry healthChecks()
    {
        return healthChecks;
    }

    public Health health()
    {
        return health;
    }

    public Upstreams upstreams()
    {
        return upstreams;
    }

    public RateLimiter rateLimiter()
    {
        return rateLimiter;
    }

    /** The response cache (kept across reloads; see docs/caching.md). */
    public ResponseCache cache()
    {
        return cache;
    }

    /** Shares admin purges with the other instances through Redis, or null (cache.broadcast.redis.uri unset). */
    public CacheBroadcast cacheBroadcast()
    {
        return cacheBroadcast;
    }
}
