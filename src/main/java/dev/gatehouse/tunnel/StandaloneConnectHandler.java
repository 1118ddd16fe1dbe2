package dev.gatehouse.tunnel;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.web.ConfigWatcher;
import dev.gatehouse.web.GatehouseContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT for a standalone Jetty base, where the WAR cannot see it: installed at server level by
 * the {@code gatehouse-connect} module ({@code etc/jetty-base/}), wrapping the server's handler.
 * It reads its own configuration (the same properties file and {@code GATEHOUSE_*} /
 * {@code -Dgatehouse.*} overrides as the WAR) and applies the CONNECT policy of
 * {@link GatehouseConnectHandler} on every connector of the base. Non-CONNECT requests pass on to
 * the wrapped handler (the deployed webapps). Domain lists and the configuration file are
 * hot-reloaded; stopping the server stops the reload polling and the upstream pools.
 */
public class StandaloneConnectHandler extends GatehouseConnectHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneConnectHandler.class);

    private final GatehouseContext context;

    /**
     * @param configFile the properties file; null or blank for {@code -Dgatehouse.config}, then
     *                   {@code GATEHOUSE_CONFIG}, then the defaults (always plus overrides)
     */
    public StandaloneConnectHandler(String configFile)
    {
        this(newContext(path(configFile)), path(configFile));
    }

    private StandaloneConnectHandler(GatehouseContext context, Path configFile)
    {
        super(null, context, null);
        this.context = context;
        Supplier<GatehouseConfig> loader = () -> load(configFile);
        context.watcher(new ConfigWatcher(context, loader, configFile));
    }

    @Override
    protected void doStart() throws Exception
    {
        super.doStart();
        context.watcher().start();
        context.health().configLoaded();
        context.health().started();
        LOG.info("Gatehouse CONNECT handler {} installed at server level (allowed ports {})",
            context.config().proxyId(), context.config().connectAllowedPorts());
    }

    @Override
    protected void doStop() throws Exception
    {
        context.health().stopping();
        try
        {
            super.doStop();
        }
        finally
        {
            context.close();
        }
    }

    /** The given file, else {@code -Dgatehouse.config}, else {@code GATEHOUSE_CONFIG}, else none. */
    static Path path(String configFile)
    {
        String file = configFile;
        if (file == null || file.isBlank())
            file = System.getProperty(ConfigLoader.CONFIG_PROPERTY);
        if (file == null || file.isBlank())
            file = System.getenv(ConfigLoader.ENV_CONFIG);
        return file == null || file.isBlank() ? null : Path.of(file.trim());
    }

    private static GatehouseContext newContext(Path configFile)
    {
        return new GatehouseContext(load(configFile));
    }

    private static GatehouseConfig load(Path configFile)
    {
        return ConfigLoader.load(configFile, System.getenv(), ConfigLoader.systemProperties(), Map.of(), LOG::warn);
    }
}
