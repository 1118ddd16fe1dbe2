package dev.gatehouse.app;

import java.nio.file.Path;
import java.util.Map;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.web.ConfigWatcher;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAR start-up, the only entry of web.xml: loads the configuration (context parameter
 * {@code gatehouse.config}, else system property {@code gatehouse.config}, plus environment and
 * {@code -Dgatehouse.*} overrides) and installs the application ({@link Application#install}):
 * the filter chain, the proxy servlet, the CLI and the admin endpoints under
 * {@code admin.path-prefix}. Invalid configuration fails the deployment with the key and value in
 * the message.
 */
public class GatehouseWebListener implements ServletContextListener
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseWebListener.class);
    private static final String APPLICATION_ATTRIBUTE = Application.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event)
    {
        ServletContext servletContext = event.getServletContext();
        Application application;
        try
        {
            application = new Application(Snapshot.build(load(servletContext)));
        }
        catch (ConfigException x)
        {
            LOG.error("gatehouse: invalid configuration: {}", x.getMessage());
            throw x;
        }
        servletContext.setAttribute(APPLICATION_ATTRIBUTE, application);
        application.install(servletContext, Application.Deployment.WAR);
        ConfigWatcher watcher = new ConfigWatcher(application.context(), () -> load(servletContext), configFile(servletContext));
        application.context().watcher(watcher);
        watcher.start();
        application.health().configLoaded();
        application.health().started();
        LOG.info("Gatehouse {} deployed at '{}', admin under {}", application.config().proxyId(),
            servletContext.getContextPath(), application.config().adminPathPrefix());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event)
    {
        if (event.getServletContext().getAttribute(APPLICATION_ATTRIBUTE) instanceof Application application)
        {
            application.stopping();
            application.close();
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
