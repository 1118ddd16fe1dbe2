package dev.gatehouse.server;

import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.app.Application;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.observe.LoggingSetup;
import dev.gatehouse.tunnel.GatehouseConnectHandler;
import dev.gatehouse.web.ConfigWatcher;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.web.Wiring;
import io.dropwizard.metrics.jetty12.InstrumentedConnectionFactory;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
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

    private final Application application;
    private final Server server;
    private GracefulHandler graceful;

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
        this.application = new Application(Snapshot.build(config));
        GatehouseContext context = application.context();
        context.watcher(new ConfigWatcher(context, reloader != null ? reloader : () -> config, configFile));
        TlsListener.checkUpstream(config);
        this.server = newServer(config, jettyXml, application.metrics());
        wire();
    }

    private static Server newServer(GatehouseConfig config, Path jettyXml, MetricRegistry metrics) throws Exception
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

    /**
     * Removes the upgrade filter Jetty's WebSocket initializer maps in front of every request. The
     * proxy upgrades from inside its servlet ({@code ServerContainer.upgradeHttpToWebSocket}) and
     * maps no endpoint, so the filter could never upgrade anything; it only wrapped every proxied
     * request (copying its header fields) to find that out.
     */
    static void withoutUpgradeFilter(ServletContextHandler context)
    {
        ServletHandler handler = context.getServletHandler();
        FilterHolder holder = handler.getFilter(WebSocketUpgradeFilter.class.getName());
        if (holder == null)
            return;
        for (FilterMapping mapping : handler.getFilterMappings())
        {
            if (holder.getName().equals(mapping.getFilterName()))
                handler.removeFilterMapping(mapping);
        }
        handler.removeFilterHolder(holder);
    }

    private void wire()
    {
        GatehouseConfig config = application.config();

        ServletContextHandler proxyContext = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        proxyContext.setDisplayName("gatehouse-proxy");
        proxyContext.setVirtualHosts(List.of("@" + Wiring.PROXY_CONNECTOR, "@" + TlsListener.CONNECTOR));
        proxyContext.setErrorHandler(new JsonErrorHandler.Servlet());
        // Forward %2F and friends as they came; the proxy never decodes the path.
        proxyContext.getServletHandler().setDecodeAmbiguousURIs(true);
        proxyContext.addEventListener(installer(Application.Deployment.EMBEDDED_PROXY));
        // the Jakarta WebSocket container that proxied WebSocket sessions run in (both legs)
        JakartaWebSocketServletContainerInitializer.configure(proxyContext, (servletContext, container) -> withoutUpgradeFilter(proxyContext));

        ServletContextHandler adminContext = new ServletContextHandler("/", ServletContextHandler.NO_SESSIONS);
        adminContext.setDisplayName("gatehouse-admin");
        adminContext.setVirtualHosts(List.of("@" + Wiring.ADMIN_CONNECTOR));
        adminContext.setErrorHandler(new JsonErrorHandler.Servlet());
        adminContext.addEventListener(installer(Application.Deployment.EMBEDDED_ADMIN));

        for (Connector connector : server.getConnectors())
        {
            if (Wiring.PROXY_CONNECTOR.equals(connector.getName()) || TlsListener.CONNECTOR.equals(connector.getName()))
                connector.addBean(new ConnectionCounter(application.gatehouseMetrics()));
            instrument(connector, application.metrics());
        }
        // for the server-level error handler, which counts the requests Jetty refuses itself
        server.setAttribute(GatehouseMetrics.ATTRIBUTE, application.gatehouseMetrics());

        ContextHandlerCollection contexts = new ContextHandlerCollection(proxyContext, adminContext);
        GatehouseConnectHandler connect = new GatehouseConnectHandler(contexts, application.context(), application.rateLimiter(),
            application.gatehouseMetrics());
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
                application.stopping();
            }
        });
        application.health().configLoaded();
    }

    /** Installs the application into a context while it starts, as the WAR's listener does. */
    private ServletContextListener installer(Application.Deployment deployment)
    {
        return new ServletContextListener()
        {
            @Override
            public void contextInitialized(ServletContextEvent event)
            {
                application.install(event.getServletContext(), deployment);
            }
        };
    }

    /**
     * Wraps each connector's HTTP/1.1 factory so connection counts and lifetimes land in the
     * registry under stable names: {@code gatehouse.connector.<name>.connections} (timer) and
     * {@code .active} (counter).
     */
    private static void instrument(Connector connector, MetricRegistry metrics)
    {
        if (!(connector instanceof AbstractConnector c))
            return;
        ConnectionFactory http = c.getConnectionFactory("HTTP/1.1");
        if (http == null || http instanceof InstrumentedConnectionFactory)
            return;
        String base = MetricRegistry.name("gatehouse", "connector", connector.getName());
        // open connections go up and down: a gauge (a Dropwizard counter would be a Prometheus counter)
        Counter open = new Counter();
        metrics.gauge(MetricRegistry.name(base, "open-connections"), () -> (Gauge<Long>)open::getCount);
        c.addConnectionFactory(new InstrumentedConnectionFactory(http,
            metrics.timer(MetricRegistry.name(base, "connection-duration-seconds")), open));
    }

    public void start() throws Exception
    {
        server.start();
        application.context().watcher().start();
        application.health().started();
    }

    /**
     * Graceful stop: readiness goes down, the proxy listeners stop accepting and their in-flight
     * requests finish within {@code shutdown.grace} while the admin listener still answers; then
     * everything stops.
     */
    public void stop() throws Exception
    {
        application.health().stopping();
        try
        {
            if (server.isStarted())
            {
                application.stopping();
                // the admin listener stays up (readiness 503) until the proxy listeners have drained
                server.setStopTimeout(Drain.proxyListeners(server, graceful, application.config().shutdownGrace().toMillis()));
            }
            server.stop();
        }
        finally
        {
            application.close();
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

    /** The components of this instance (cache, metrics, rate limiter, ...). */
    public Application application()
    {
        return application;
    }

    /** The bound port of the proxy listener (useful with port 0). */
    public int proxyPort()
    {
        return port(Wiring.PROXY_CONNECTOR);
    }

    /** The bound port of the TLS listener; -1 without one. */
    public int tlsPort()
    {
        return application.config().protocols().tls().enabled() ? port(TlsListener.CONNECTOR) : -1;
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
            finally
            {
                LoggingSetup.stop(); // what is still queued reaches the log before the process exits
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
