package dev.gatehouse.web;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.observe.HealthServlet;
import dev.gatehouse.policy.AdminAccessFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAR start-up: loads the configuration (context parameter {@code gatehouse.config}, else system
 * property {@code gatehouse.config}, plus environment and {@code -Dgatehouse.*} overrides) and
 * registers the admin endpoints under {@code admin.path-prefix}. Invalid configuration fails the
 * deployment with the key and value in the message.
 */
public class GatehouseWebListener implements ServletContextListener
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseWebListener.class);

    @Override
    public void contextInitialized(ServletContextEvent event)
    {
        ServletContext servletContext = event.getServletContext();
        GatehouseContext context;
        try
        {
            context = new GatehouseContext(Snapshot.build(load(servletContext)));
        }
        catch (ConfigException x)
        {
            LOG.error("gatehouse: invalid configuration: {}", x.getMessage());
            throw x;
        }
        servletContext.setAttribute(GatehouseContext.ATTRIBUTE, context);
        ProxyParticipants.install(servletContext, context);
        String prefix = context.config().adminPathPrefix();
        context.sharedAdminPrefix(servletContext.getContextPath() + prefix);
        FilterRegistration.Dynamic admin = servletContext.addFilter(Wiring.ADMIN_ACCESS_FILTER, AdminAccessFilter.class);
        admin.setAsyncSupported(true);
        admin.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, prefix + "*");
        ServletRegistration.Dynamic health = servletContext.addServlet(Wiring.HEALTH_SERVLET, HealthServlet.class);
        health.addMapping(prefix + "health/*");
        health.setAsyncSupported(true);
        ServletRegistration.Dynamic reload = servletContext.addServlet(Wiring.RELOAD_SERVLET, ReloadServlet.class);
        reload.addMapping(prefix + "admin/reload");
        ServletRegistration.Dynamic cacheAdmin = servletContext.addServlet(Wiring.CACHE_ADMIN_SERVLET,
            dev.gatehouse.cache.CacheAdminServlet.class);
        cacheAdmin.addMapping(prefix + "admin/cache", prefix + "admin/cache/*");
        Wiring.exposeRegistries(servletContext, context);
        servletContext.setInitParameter(Wiring.CPU_PROFILE_ENABLED, Boolean.toString(context.config().adminProfiling()));
        servletContext.addServlet(Wiring.ADMIN_SERVLET, io.dropwizard.metrics.servlets.AdminServlet.class).addMapping(prefix + "admin/*");
        servletContext.addServlet(Wiring.PROFILE_SERVLET, dev.gatehouse.observe.ProfileServlet.class).addMapping(prefix + "admin/pprof");
        ServletRegistration.Dynamic prometheus = servletContext.addServlet(Wiring.PROMETHEUS_SERVLET,
            new io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet(context.observability().prometheus()));
        prometheus.addMapping(prefix + "metrics");
        ServletRegistration.Dynamic dashboard = servletContext.addServlet(Wiring.DASHBOARD_SERVLET,
            dev.gatehouse.observe.DashboardServlet.class);
        dashboard.addMapping(prefix + "*");
        if (context.config().cli().enabled())
        {
            dev.gatehouse.cli.CliService.install(servletContext, context.config().cli(), context.metrics(),
                context.observability(), context.config().idleTimeout());
            ServletRegistration.Dynamic cli = servletContext.addServlet(Wiring.CLI_SERVLET, dev.gatehouse.cli.CliServlet.class);
            cli.setAsyncSupported(true);
            cli.addMapping(context.config().cli().pathPrefix() + "*");
        }
        // every endpoint served here rather than proxied: requests through the proxy go to the proxy servlet instead
        FilterRegistration.Dynamic guard = servletContext.addFilter(Wiring.LOCAL_ENDPOINT_FILTER, LocalEndpointFilter.class);
        guard.setAsyncSupported(true);
        guard.addMappingForServletNames(Wiring.LOCAL_ENDPOINT_DISPATCHES, true, Wiring.HEALTH_SERVLET, Wiring.RELOAD_SERVLET,
            Wiring.CACHE_ADMIN_SERVLET, Wiring.ADMIN_SERVLET, Wiring.PROMETHEUS_SERVLET, Wiring.DASHBOARD_SERVLET, Wiring.CLI_SERVLET);
        ConfigWatcher watcher = new ConfigWatcher(context, () -> load(servletContext), configFile(servletContext));
        context.watcher(watcher);
        watcher.start();
        context.health().configLoaded();
        context.health().started();
        LOG.info("Gatehouse {} deployed at '{}', admin under {}", context.config().proxyId(),
            servletContext.getContextPath(), prefix);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event)
    {
        Object value = event.getServletContext().getAttribute(GatehouseContext.ATTRIBUTE);
        if (value instanceof GatehouseContext context)
        {
            context.health().stopping();
            context.cache().releaseWaiters(); // collapsed misses still waiting go upstream now, not at their timeout
            if (event.getServletContext().getAttribute(dev.gatehouse.cli.CliService.ATTRIBUTE) instanceof dev.gatehouse.cli.CliService cli)
                cli.close();
            context.close();
        }
    }

    static Path configFile(ServletContext servletContext)
    {
        String file = servletContext.getInitParameter(ConfigLoader.CONFIG_PROPERTY);
        if (file == null || file.isBlank())
            file = System.getProperty(ConfigLoader.CONFIG_PROPERTY);
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    static GatehouseConfig load(ServletContext servletContext)
    {
        Path file = configFile(servletContext);
        return ConfigLoader.load(file, System.getenv(), ConfigLoader.systemProperties(),
            Map.of(), LOG::warn);
    }
}
