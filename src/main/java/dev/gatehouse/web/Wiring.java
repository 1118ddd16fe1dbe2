package dev.gatehouse.web;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;

/**
 * Names of the connectors, filters and servlets, shared by the filters that look for each other
 * and by the one place that registers them ({@code server.Application.install}).
 */
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
    public static final EnumSet<DispatcherType> LOCAL_ENDPOINT_DISPATCHES = EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC);
    public static final String ADMIN_ACCESS_FILTER = "adminAccess";
    /** The cache lookup, mapped to the proxy servlet by name; it also sees ASYNC dispatches (collapsed misses, answers from cache). */
    public static final String CACHE_FILTER = "cache";
    public static final String CACHE_ADMIN_SERVLET = "cacheAdmin";

    private Wiring()
    {
    }
}
