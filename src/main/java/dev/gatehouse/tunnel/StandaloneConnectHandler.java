package dev.gatehouse.tunnel;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.RateLimiter;
import dev.gatehouse.web.ConfigWatcher;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT for a standalone Jetty base, where the WAR cannot see it: installed at server level by
 * the {@code gatehouse-connect} module ({@code etc/jetty-base/}), wrapping the server's handler.
 * It reads its own configuration (the same properties file and {@code GATEHOUSE_*} /
 * {@code -Dgatehouse.*} overrides as the WAR) and applies the CONNECT policy of
 * {@link GatehouseConnectHandler} on every connector of the base. Non-CONNECT requests pass on to
 * the wrapped handler (the deployed webapps). Domain lists and the configuration file are
 * hot-reloaded; stopping the server stops the reload polling and the rate limiter's connection.
 */
public class StandaloneConnectHandler extends GatehouseConnectHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneConnectHandler.class);

    private final GatehouseContext context;
    private final RateLimiter rateLimiter;

    /**
     * @param configFile the properties file; null or blank for {@code -Dgatehouse.config}, then
     *                   {@code GATEHOUSE_CONFIG}, then the defaults (always plus overrides)
     */
    public StandaloneConnectHandler(String configFile)
    {
        this(path(configFile), new MetricRegistry());
    }

    private StandaloneConnectHandler(Path configFile, MetricRegistry metrics)
    {
        this(new GatehouseContext(Snapshot.build(load(configFile))), configFile, metrics);
    }

    /**
     * Only what CONNECT uses: the snapshot and its watcher, the rate limiter and the counters. No
     * upstream pools (so no route health checks), no response cache.
     */
    private StandaloneConnectHandler(GatehouseContext context, Path configFile, MetricRegistry metrics)
    {
        this(context, RateLimiter.create(context.config(), metrics), new GatehouseMetrics(metrics), configFile);
    }

    private StandaloneConnectHandler(GatehouseContext context, RateLimiter rateLimiter, GatehouseMetrics metrics, Path configFile)
    {
        super(null, context, rateLimiter, metrics, null);
        this.context = context;
        this.rateLimiter = rateLimiter;
        Supplier<GatehouseConfig> loader = () -> load(configFile);
        context.watcher(new ConfigWatcher(context, loader, configFile));
    }

    @Override
    protected void doStart() throws Exception
    {
        super.doStart();
        context.watcher().start();
        LOG.info("Gatehouse CONNECT handler {} installed at server level (allowed ports {})",
            context.config().proxyId(), context.config().connectAllowedPorts());
    }

    @Override
    protected void doStop() throws Exception
    {
        try
        {
            super.doStop();
        }
        finally
        {
            context.close();
            if (rateLimiter instanceof AutoCloseable closeable)
                closeable.close();
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

    private static GatehouseConfig load(Path configFile)
    {
        return ConfigLoader.load(configFile, System.getenv(), ConfigLoader.systemProperties(), Map.of(), LOG::warn);
    }
}
