package dev.gatehouse.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.PolicyConfig;
import dev.gatehouse.http.BackgroundThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: re-reads the configuration (file, environment, system properties, command line)
 * and the files it names (domain lists, users), validates and compiles the result, and swaps it
 * in atomically. A reload that fails keeps the previous snapshot running and logs why. Files are
 * polled every {@code reload.interval}; {@code POST /admin/reload} reloads on demand.
 */
public final class ConfigWatcher implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    /** Keys read once at start-up: a change needs a restart. */
    private static final List<String> RESTART_KEYS = ConfigKeys.restartKeys();

    /** The outcome of one reload. */
    public record Result(boolean reloaded, String message)
    {
    }

    private final GatehouseContext context;
    private final Supplier<GatehouseConfig> loader;
    private final Path configFile;
    private final Map<Path, String> fingerprints = new HashMap<>();
    private ScheduledExecutorService scheduler;

    /**
     * @param loader     loads a fresh configuration from all sources (throws ConfigException)
     * @param configFile the properties file to watch, or null
     */
    public ConfigWatcher(GatehouseContext context, Supplier<GatehouseConfig> loader, Path configFile)
    {
        this.context = context;
        this.loader = loader;
        this.configFile = configFile;
        remember(watched(context.config()));
    }

    /** Starts polling the files, if {@code reload.interval} is above zero. */
    public synchronized void start()
    {
        long ms = context.config().policy().reloadInterval().toMillis();
        if (ms <= 0 || scheduler != null)
            return;
        scheduler = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "gatehouse-reload");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    private synchronized void poll()
    {
        try
        {
            List<Path> files = watched(context.config());
            boolean changed = false;
            for (Path file : files)
                changed |= !Objects.equals(fingerprints.get(file), fingerprint(file));
            if (changed)
            {
                LOG.info("configuration files changed, reloading");
                reload();
            }
        }
        catch (RuntimeException x)
        {
            LOG.error("reload check failed", x);
        }
    }

    /** Loads, validates, compiles and swaps. On any error the running snapshot stays. */
    public synchronized Result reload()
    {
        GatehouseConfig previous = context.config();
        try
        {
            GatehouseConfig next = loader.get();
            Snapshot snapshot = Snapshot.build(next);
            remember(watched(next));
            for (String key : RESTART_KEYS)
            {
                if (!Objects.equals(previous.values().get(key), next.values().get(key)))
                    LOG.warn("{} changed; it takes effect after a restart", key);
            }
            context.swap(snapshot);
            LOG.info("configuration reloaded: {} routes", next.routes().size());
            return new Result(true, "reloaded");
        }
        catch (ConfigException x)
        {
            remember(watched(previous));
            LOG.error("reload rejected, the previous configuration stays in force: {}", x.getMessage());
            return new Result(false, x.getMessage());
        }
    }

    private List<Path> watched(GatehouseConfig config)
    {
        List<Path> files = new ArrayList<>();
        if (configFile != null)
            files.add(configFile);
        PolicyConfig p = config.policy();
        for (Path f : new Path[]{p.filterBlockedFile(), p.filterAllowedFile(), p.usersFile(), p.rateLimitKeysFile()})
        {
            if (f != null)
                files.add(f);
        }
        return files;
    }

    private void remember(List<Path> files)
    {
        fingerprints.clear();
        for (Path f : files)
            fingerprints.put(f, fingerprint(f));
    }

    private static String fingerprint(Path file)
    {
        try
        {
            return Files.getLastModifiedTime(file).toMillis() + ":" + Files.size(file);
        }
        catch (IOException x)
        {
            return "missing";
        }
    }

    /** Stops the polling and waits for its thread (outside the lock, which a running poll holds). */
    @Override
    public void close()
    {
        ScheduledExecutorService stopping;
        synchronized (this)
        {
            stopping = scheduler;
            scheduler = null;
        }
        if (stopping != null)
            BackgroundThreads.stopNow(stopping);
    }
}
