package dev.gatehouse.server;

import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Supplier;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.RequestIdFilter;
import dev.gatehouse.observe.HealthServlet;
import dev.gatehouse.proxy.GatehouseProxyServlet;
import dev.gatehouse.web.ProxyParticipants;
import dev.gatehouse.tunnel.GatehouseConnectHandler;
import dev.gatehouse.observe.AccessLogFilter;
import dev.gatehouse.observe.LoggingSetup;
import dev.gatehouse.policy.AdminAccessFilter;
import dev.gatehouse.web.ConfigWatcher;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.ReloadServlet;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.web.Wiring;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server: reads etc/jetty.xml (bundled or external) with the configuration's
 * properties, then wires the proxy context, the admin context and the CONNECT handler.
 */
public final class GatehouseServer
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);
    /** The bundled server wiring, a copy of etc/jetty.xml. */
    public static final String BUNDLED_JETTY_XML = "/gatehouse/jetty.xml";

    private final GatehouseContext context;
    private final Server server;
    private GracefulHandler graceful;
    /** Readiness down, CLI children killed, collapsed waiters released: the first steps of a stop. */
    private Runnable beforeDrain;

    public GatehouseServer(GatehouseConfig config) throws Exception
    {
        this(config, null, null, null);
    }

    public GatehouseServer(GatehouseConfig config, Path jettyXml) throws Exception
    {
        this(config, jettyXml, null, null);
    }

    /**
     * @param reloader   loads a fresh configuration for hot reload (null: reload re-validates this one)
     * @param configFile the properties file to watch for changes, or null
     */
    public GatehouseServer(GatehouseConfig config, Path jettyXml, Supplier<GatehouseConfig> reloader, Path configFile) throws Exception
    {
        this.context = new GatehouseContext(Snapshot.build(config));
        this.context.watcher(new ConfigWatcher(context, reloader != null ? reloader : () -> config, configFile));
        TlsListener.checkUpstream(config);
        this.server = newServer(config, jettyXml, context.metrics());
        wire();
    }

    private static Server newServer(GatehouseConfig config, Path jettyXml, com.codahale.metrics.MetricRegistry metrics) throws Exception
    {
        URL url;
        if (jettyXml != null)
        {
            if (!Files.isReadable(jettyXml))
                throw new ConfigException("--jetty-xml", "cannot read --jetty-xml file '" + jettyXml + "'");
            url = jettyXml.toUri().toURL();
        }
        else
        {
            url = GatehouseServer.class.getResource(BUNDLED_JETTY_XML);
        }
        try (ResourceFactory.Closeable resources = ResourceFactory.closeable())
        {
            XmlConfiguration xml = new XmlConfiguration(resources.newResource(url));
            // jetty.xml may instrument the thread pool with <Ref refid="metricRegistry"/>
            xml.getIdMap().put("metricRegistry", metrics);
            xml.getProperties().putAll(config.values());
            xml.getProperties().put("timeouts.idle.ms", Long.toString(config.idleTimeout().toMillis()));
            // Jetty's own header limit sits above Gatehouse's, so the filter decides, with the JSON error
            long headerBytes = config.policy().maxHeaderSize() + config.policy().maxUrlLength() + 1024;
            xml.getProperties().put("limits.request-header-bytes", Long.toString(Math.min(headerBytes, Integer.MAX_VALUE)));
            Server server = (Server)xml.configure();
            TlsListener.apply(server, xml, config, resources);
            return server;
        }
    }

    private void wire()
    {
        GatehouseConfig config = context.config();

        ServletContextHandler proxyContext = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        proxyContext.setDisplayName("gatehouse-proxy");
        proxyContext.setVirtualHosts(java.util.List.of("@" + Wiring.PROXY_CONNECTOR, "@" + TlsListener.CONNECTOR));
        proxyContext.setAttribute(GatehouseContext.ATTRIBUTE, context);
        ProxyParticipants.install(proxyContext.getServletContext(), context);
        proxyContext.setErrorHandler(new JsonErrorHandler.Servlet());
        // Forward %2F and friends as they came; the proxy never decodes the path.
        proxyContext.getServletHandler().setDecodeAmbiguousURIs(true);
        proxyContext.addFilter(requestIdFilter(), "/*", EnumSet.of(DispatcherType.REQUEST));
        proxyContext.addFilter(filter(Wiring.ACCESS_LOG_FILTER, AccessLogFilter.class), "/*", EnumSet.of(DispatcherType.REQUEST));
        for (Map.Entry<String, Class<? extends Filter>> f : Wiring.POLICY_FILTERS.entrySet())
            proxyContext.addFilter(filter(f.getKey(), f.getValue()), "/*", Wiring.dispatcherTypes(f.getKey()));
        ServletHolder proxy = new ServletHolder(Wiring.PROXY_SERVLET, GatehouseProxyServlet.class);
        proxy.setAsyncSupported(true);
        proxy.setInitOrder(1);
        proxyContext.addServlet(proxy, "/*");
        // the Jakarta WebSocket container that proxied WebSocket sessions run in (both legs)
        org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer.configure(proxyContext, null);
        dev.gatehouse.cli.CliService cli = null;
        if (config.cli().enabled())
        {
            // mounted only when enabled, so a disabled CLI never shadows a reverse route under its prefix
            cli = dev.gatehouse.cli.CliService.install(proxyContext.getServletContext(), config.cli(), context.metrics(),
                context.observability(), config.idleTimeout());
            ServletHolder cliServlet = new ServletHolder(Wiring.CLI_SERVLET, dev.gatehouse.cli.CliServlet.class);
            cliServlet.setAsyncSupported(true);
            proxyContext.addServlet(cliServlet, config.cli().pathPrefix() + "*");
            org.eclipse.jetty.ee10.servlet.FilterMapping guard = new org.eclipse.jetty.ee10.servlet.FilterMapping();
            guard.setFilterName(Wiring.LOCAL_ENDPOINT_FILTER);
            guard.setServletNames(new String[] {Wiring.CLI_SERVLET});
            guard.setDispatcherTypes(Wiring.LOCAL_ENDPOINT_DISPATCHES);
            proxyContext.getServletHandler().addFilter(filter(Wiring.LOCAL_ENDPOINT_FILTER, dev.gatehouse.web.LocalEndpointFilter.class), guard);
        }
        dev.gatehouse.cli.CliService cliService = cli;

        ServletContextHandler adminContext = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        adminContext.setDisplayName("gatehouse-admin");
        adminContext.setVirtualHosts(java.util.List.of("@" + Wiring.ADMIN_CONNECTOR));
        adminContext.setAttribute(GatehouseContext.ATTRIBUTE, context);
        adminContext.setErrorHandler(new JsonErrorHandler.Servlet());
        adminContext.addFilter(requestIdFilter(), "/*", EnumSet.of(DispatcherType.REQUEST));
        adminContext.addFilter(filter(Wiring.ADMIN_ACCESS_FILTER, AdminAccessFilter.class), "/*", EnumSet.of(DispatcherType.REQUEST));
        adminContext.addServlet(new ServletHolder(Wiring.HEALTH_SERVLET, HealthServlet.class), "/health/*");
        adminContext.addServlet(new ServletHolder(Wiring.RELOAD_SERVLET, ReloadServlet.class), "/admin/reload");
        ServletHolder cacheAdmin = new ServletHolder(Wiring.CACHE_ADMIN_SERVLET, dev.gatehouse.cache.CacheAdminServlet.class);
        adminContext.addServlet(cacheAdmin, "/admin/cache");
        adminContext.addServlet(cacheAdmin, "/admin/cache/*");
        Wiring.exposeRegistries(adminContext.getServletContext(), context);
        adminContext.setInitParameter(Wiring.CPU_PROFILE_ENABLED, Boolean.toString(config.adminProfiling()));
        adminContext.addServlet(new ServletHolder(Wiring.ADMIN_SERVLET, io.dropwizard.metrics.servlets.AdminServlet.class), "/admin/*");
        adminContext.addServlet(new ServletHolder(Wiring.PROFILE_SERVLET, dev.gatehouse.observe.ProfileServlet.class), "/admin/pprof");

        ServletHolder prometheus = new ServletHolder(Wiring.PROMETHEUS_SERVLET,
            new io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet(context.observability().prometheus()));
        adminContext.addServlet(prometheus, "/metrics");
        adminContext.addServlet(new ServletHolder(Wiring.DASHBOARD_SERVLET, dev.gatehouse.observe.DashboardServlet.class), "/");

        for (Connector connector : server.getConnectors())
        {
            if (Wiring.PROXY_CONNECTOR.equals(connector.getName()) || TlsListener.CONNECTOR.equals(connector.getName()))
                connector.addBean(new ConnectionCounter(context.observability()));
            instrument(connector, context.metrics());
        }
        server.setAttribute(GatehouseContext.ATTRIBUTE, context);

        ContextHandlerCollection contexts = new ContextHandlerCollection(proxyContext, adminContext);
        GatehouseConnectHandler connect = new GatehouseConnectHandler(contexts, context);
        graceful = new Drain.ProxyGracefulHandler(connect);
        server.setHandler(graceful);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(config.shutdownGrace().toMillis());
        server.setStopAtShutdown(false);
        server.addEventListener(new LifeCycle.Listener()
        {
            @Override
            public void lifeCycleStopping(LifeCycle event)
            {
                beforeDrain.run();
            }
        });
        beforeDrain = () ->
        {
            context.health().stopping();
            if (cliService != null)
                cliService.close(); // kill every child first, so their streams end before the drain
            context.cache().releaseWaiters(); // collapsed misses go upstream now instead of waiting out the drain
        };
        context.health().configLoaded();
    }

    /**
     * Wraps each connector's HTTP/1.1 factory so connection counts and lifetimes land in the
     * registry under stable names: {@code gatehouse.connector.<name>.connections} (timer) and
     * {@code .active} (counter).
     */
    private static void instrument(Connector connector, com.codahale.metrics.MetricRegistry metrics)
    {
        if (!(connector instanceof org.eclipse.jetty.server.AbstractConnector c))
            return;
        org.eclipse.jetty.server.ConnectionFactory http = c.getConnectionFactory("HTTP/1.1");
        if (http == null || http instanceof io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory)
            return;
        String base = com.codahale.metrics.MetricRegistry.name("gatehouse", "connector", connector.getName());
        // open connections go up and down: a gauge (a Dropwizard counter would be a Prometheus counter)
        com.codahale.metrics.Counter open = new com.codahale.metrics.Counter();
        metrics.gauge(com.codahale.metrics.MetricRegistry.name(base, "open-connections"), () -> (com.codahale.metrics.Gauge<Long>)open::getCount);
        c.addConnectionFactory(new io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory(http,
            metrics.timer(com.codahale.metrics.MetricRegistry.name(base, "connection-duration-seconds")), open));
    }

    private static FilterHolder requestIdFilter()
    {
        return filter(Wiring.REQUEST_ID_FILTER, RequestIdFilter.class);
    }

    private static FilterHolder filter(String name, Class<? extends Filter> type)
    {
        FilterHolder holder = new FilterHolder(type);
        holder.setName(name);
        holder.setAsyncSupported(true);
        return holder;
    }

    public void start() throws Exception
    {
        server.start();
        context.watcher().start();
        context.health().started();
    }

    /**
     * Graceful stop: readiness goes down, the proxy listeners stop accepting and their in-flight
     * requests finish within {@code shutdown.grace} while the admin listener still answers; then
     * everything stops.
     */
    public void stop() throws Exception
    {
        context.health().stopping();
        try
        {
            if (server.isStarted())
            {
                beforeDrain.run();
                // the admin listener stays up (readiness 503) until the proxy listeners have drained
                server.setStopTimeout(Drain.proxyListeners(server, graceful, context.config().shutdownGrace().toMillis()));
            }
            server.stop();
        }
        finally
        {
            context.close();
        }
    }

    public void join() throws InterruptedException
    {
        server.join();
    }

    public Server server()
    {
        return server;
    }

    public GatehouseContext context()
    {
        return context;
    }

    /** The bound port of the proxy listener (useful with port 0). */
    public int proxyPort()
    {
        return port(Wiring.PROXY_CONNECTOR);
    }

    /** The bound port of the TLS listener; -1 without one. */
    public int tlsPort()
    {
        return context.config().protocols().tls().enabled() ? port(TlsListener.CONNECTOR) : -1;
    }

    public int adminPort()
    {
        return port(Wiring.ADMIN_CONNECTOR);
    }

    private int port(String name)
    {
        for (Connector c : server.getConnectors())
        {
            if (name.equals(c.getName()) && c instanceof NetworkConnector nc)
                return nc.getLocalPort();
        }
        throw new IllegalStateException("no connector named " + name);
    }

    public static void main(String[] args)
    {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status >= 0)
            System.exit(status);
    }

    /**
     * Runs the command line. Returns an exit status when start-up ends the process (help, bad
     * configuration), or -1 when the server runs until a signal stops it.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
    {
        GatehouseConfig config;
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.parse(args, env, System.getProperty(ConfigLoader.CONFIG_PROPERTY));
            if (commandLine.help())
            {
                out.print(CommandLine.USAGE);
                return 0;
            }
            config = ConfigLoader.load(commandLine.config(), env, ConfigLoader.systemProperties(), commandLine.overrides(), LOG::warn);
        }
        catch (ConfigException x)
        {
            err.println("gatehouse: invalid configuration: " + x.getMessage());
            return 2;
        }
        LoggingSetup.apply(config.log());
        GatehouseServer gatehouse;
        try
        {
            CommandLine cl = commandLine;
            Supplier<GatehouseConfig> reloader = () -> ConfigLoader.load(cl.config(), env, ConfigLoader.systemProperties(), cl.overrides(), LOG::warn);
            gatehouse = new GatehouseServer(config, commandLine.jettyXml(), reloader, commandLine.config());
            gatehouse.start();
        }
        catch (ConfigException x)
        {
            err.println("gatehouse: invalid configuration: " + x.getMessage());
            return 2;
        }
        catch (Exception x)
        {
            err.println("gatehouse: cannot start: " + x);
            LOG.debug("start-up failed", x);
            return 1;
        }
        Signals.onTermination(() ->
        {
            try
            {
                LOG.info("Stopping: draining in-flight requests for up to {}", config.shutdownGrace());
                gatehouse.stop();
                LOG.info("Stopped");
                return 0;
            }
            catch (Exception x)
            {
                LOG.error("Unclean stop", x);
                return 1;
            }
        });
        LOG.info("Gatehouse {} proxy on http://{}:{}/ admin on http://{}:{}/", config.proxyId(), config.proxyHost(),
            gatehouse.proxyPort(), config.adminHost(), gatehouse.adminPort());
        if (config.protocols().tls().enabled())
            LOG.info("TLS listener on https://{}:{}/ (ALPN: {})", config.protocols().tls().host(), gatehouse.tlsPort(),
                config.protocols().http2().enabled() ? "h2, http/1.1" : "http/1.1");
        return -1;
    }
}
