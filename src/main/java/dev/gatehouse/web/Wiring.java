package dev.gatehouse.web;

/** Names shared by the embedded wiring and webapp-config/WEB-INF/web.xml. */
public final class Wiring
{
    public static final String PROXY_CONNECTOR = "proxy";
    public static final String ADMIN_CONNECTOR = "admin";
    public static final String REQUEST_ID_FILTER = "requestId";
    public static final String PROXY_SERVLET = "proxy";
    public static final String HEALTH_SERVLET = "health";
    public static final String RELOAD_SERVLET = "reload";
    public static final String ADMIN_SERVLET = "admin";
    /**
     * {@code /admin/pprof}, always mapped (an exact mapping, ahead of AdminServlet's
     * {@code /admin/*}), so only this servlet ever answers there: 404 unless {@code admin.profiling=true}.
     */
    public static final String PROFILE_SERVLET = "pprof";
    /**
     * Dropwizard's AdminServlet reads this from the servlet context (not from its own init
     * parameters): it decides whether {@code /admin/pprof} is linked and served by AdminServlet.
     */
    public static final String CPU_PROFILE_ENABLED = "cpu-profile-enabled";
    public static final String ACCESS_LOG_FILTER = "accessLog";
    public static final String PROMETHEUS_SERVLET = "prometheus";
    public static final String DASHBOARD_SERVLET = "dashboard";
    public static final String CLI_SERVLET = "cli";
    /** Hands requests through the proxy that a local endpoint's path caught to the proxy servlet. */
    public static final String LOCAL_ENDPOINT_FILTER = "localEndpoint";
    /** The dispatches the local-endpoint guard sees: the first one, and async re-dispatches to the same path. */
    public static final java.util.EnumSet<jakarta.servlet.DispatcherType> LOCAL_ENDPOINT_DISPATCHES =
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ASYNC);

    /**
     * Puts the registries where Dropwizard's admin servlets look for them. Call before the
     * {@link io.dropwizard.metrics.servlets.AdminServlet} initialises.
     */
    public static void exposeRegistries(jakarta.servlet.ServletContext servletContext, GatehouseContext context)
    {
        servletContext.setAttribute(io.dropwizard.metrics.servlets.MetricsServlet.METRICS_REGISTRY, context.metrics());
        servletContext.setAttribute(io.dropwizard.metrics.servlets.HealthCheckServlet.HEALTH_CHECK_REGISTRY, context.healthChecks());
    }
    public static final String ADMIN_ACCESS_FILTER = "adminAccess";
    /** The cache lookup, last policy filter; it also sees ASYNC dispatches (collapsed misses, answers from cache). */
    public static final String CACHE_FILTER = "cache";
    public static final String CACHE_ADMIN_SERVLET = "cacheAdmin";

    /** The dispatches a policy filter is mapped for. */
    public static java.util.EnumSet<jakarta.servlet.DispatcherType> dispatcherTypes(String filter)
    {
        return CACHE_FILTER.equals(filter) ? java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ASYNC)
            : java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST);
    }

    /**
     * The policy filters after the request id filter, in chain order. Security headers come first
     * so that refusals by the later filters carry them too.
     */
    public static final java.util.Map<String, Class<? extends jakarta.servlet.Filter>> POLICY_FILTERS = policyFilters();

    private static java.util.Map<String, Class<? extends jakarta.servlet.Filter>> policyFilters()
    {
        java.util.Map<String, Class<? extends jakarta.servlet.Filter>> m = new java.util.LinkedHashMap<>();
        m.put("securityHeaders", dev.gatehouse.policy.SecurityHeadersFilter.class);
        m.put("accessControl", dev.gatehouse.policy.AccessControlFilter.class);
        m.put("proxyAuth", dev.gatehouse.policy.ProxyAuthFilter.class);
        m.put("rateLimit", dev.gatehouse.policy.RateLimitFilter.class);
        m.put("requestLimits", dev.gatehouse.policy.RequestLimitsFilter.class);
        m.put("destinationPolicy", dev.gatehouse.policy.DestinationPolicyFilter.class);
        m.put(CACHE_FILTER, dev.gatehouse.cache.CacheFilter.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    private Wiring()
    {
    }
}
