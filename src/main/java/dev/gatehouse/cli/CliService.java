package dev.gatehouse.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.config.CliConfig;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.CidrSet;
import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CLI of one Gatehouse instance: policy, admission ({@code cli.max-concurrent},
 * {@code cli.queue}), the runs by id (running, and finished ones for {@code cli.retain-for}),
 * timeouts, metrics and the audit log. {@link #close()} kills every child; the embedded server calls
 * it when it starts stopping, the WAR when the context is destroyed.
 *
 * <p>Threads: one scheduler thread (timeouts, SIGKILL after the grace, heartbeats, expiry), plus
 * per run two output readers and, when a body or {@code stdin} is fed, one stdin writer; they end
 * with the run.</p>
 */
public final class CliService implements AutoCloseable
{
    public static final String ATTRIBUTE = CliService.class.getName();
    /** The SLF4J logger of the audit lines (one at start, one at exit of every run). */
    public static final String AUDIT_LOGGER = "gatehouse.cli.audit";
    /** Finished runs kept for re-attach beyond which the oldest is dropped early. */
    static final int MAX_FINISHED_RETAINED = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CliService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CliConfig config;
    private final CommandPolicy policy;
    private final Admission admission;
    private final CidrSet acl;
    private final Path prlimit;
    private final Path setsid = ProcessRunner.setsid();
    private final CliMetrics metrics;
    private final long heartbeatMillis;
    private final ConcurrentHashMap<String, Run> runs = new ConcurrentHashMap<>();
    private final ArrayDeque<String> finished = new ArrayDeque<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private volatile boolean closed;

    /**
     * @param idleTimeout the listener's idle timeout: heartbeats on silent streams come well within it
     * @throws ConfigException when a command has a memory or CPU limit and {@code prlimit} is missing
     */
    public CliService(CliConfig config, MetricRegistry registry, GatehouseMetrics observability, Duration idleTimeout)
    {
        this.config = config;
        this.policy = new CommandPolicy(config);
        this.admission = new Admission(config.maxConcurrent(), config.queue());
        this.acl = CidrSet.parse(ConfigKeys.CLI_ACL_ALLOW.name(), config.aclAllow());
        this.prlimit = ProcessRunner.prlimit();
        for (CliConfig.Command c : config.commands().values())
        {
            if (prlimit == null && (c.maxMemory() > 0 || c.maxCpuSeconds() > 0))
                throw ConfigException.invalid(ConfigKeys.CLI_MAX_MEMORY.name(), "needs util-linux prlimit (not found) to be enforced;"
                    + " install it or set the limits of command '" + c.name() + "' to 0", Long.toString(c.maxMemory()));
        }
        this.metrics = new CliMetrics(registry, observability, admission::running, admission::queued);
        this.heartbeatMillis = Math.max(100, Math.min(10_000, idleTimeout.toMillis() / 3));
        this.scheduler = new ScheduledThreadPoolExecutor(1, r ->
        {
            Thread t = new Thread(r, "gatehouse-cli-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /** Creates the service and stores it in the servlet context for {@link CliServlet}. */
    public static CliService install(ServletContext servletContext, CliConfig config, MetricRegistry registry,
                                     GatehouseMetrics observability, Duration idleTimeout)
    {
        CliService service = new CliService(config, registry, observability, idleTimeout);
        servletContext.setAttribute(ATTRIBUTE, service);
        if (config.token() == null || config.token().isEmpty())
            LOG.warn("The CLI is enabled without cli.token: any client in cli.acl.allow ({}) can run the allow-listed commands "
                + "unauthenticated; set cli.token", String.join(",", config.aclAllow()));
        return service;
    }

    static CliService from(ServletContext servletContext)
    {
        if (servletContext.getAttribute(ATTRIBUTE) instanceof CliService s)
            return s;
        throw new IllegalStateException("the CLI is not initialised in this context: " + ATTRIBUTE + " is missing");
    }

    CliConfig config()
    {
        return config;
    }

    CommandPolicy policy()
    {
        return policy;
    }

    Admission admission()
    {
        return admission;
    }

    CidrSet acl()
    {
        return acl;
    }

    CliMetrics metrics()
    {
        return metrics;
    }

    Duration killGrace()
    {
        return config.killGrace();
    }

    long heartbeatMillis()
    {
        return heartbeatMillis;
    }

    boolean isClosed()
    {
        return closed;
    }

    Run run(String id)
    {
        return id == null ? null : runs.get(id);
    }

    /**
     * Starts a run; the caller holds an admission slot (released here on failure, else when the run ends).
     *
     * @param stdin bytes to write to the program's stdin, then close it; null leaves stdin open for the caller
     * @param sink  creates the first client sink for the run before any output exists
     */
    Run launch(CommandPolicy.Invocation invocation, String client, boolean detach, byte[] stdin, Function<Run, Sink> sink)
        throws IOException
    {
        Process process;
        try
        {
            if (closed)
                throw new IOException("the proxy is stopping");
            process = ProcessRunner.start(invocation, prlimit, setsid);
        }
        catch (IOException | RuntimeException x)
        {
            admission.release();
            throw x instanceof IOException io ? io : new IOException(x);
        }
        Run run = new Run(newId(), invocation, client, detach, config.retainBytes(), this);
        metrics.started(invocation.command().name());
        CliAudit.started(run, policy, process.pid());
        Sink first = sink.apply(run);
        run.timer = scheduler.schedule(() -> run.kill(Run.TIMEOUT), invocation.timeout().toMillis(), TimeUnit.MILLISECONDS);
        run.start(process, first);
        runs.put(run.id, run);
        if (stdin != null)
            feed(run, stdin);
        if (closed)
            run.kill(Run.KILLED);
        return run;
    }

    private void feed(Run run, byte[] stdin)
    {
        OutputStream out = run.stdin();
        if (stdin.length == 0)
        {
            Run.closeQuietly(out);
            return;
        }
        Thread t = new Thread(() ->
        {
            try (out)
            {
                out.write(stdin);
            }
            catch (IOException x)
            {
                LOG.debug("run {}: the program did not read all of stdin", run.id, x);
            }
        }, "gatehouse-cli-" + run.id + "-stdin");
        t.setDaemon(true);
        t.start();
    }

    /** Called once by a run when its process and readers are done. */
    void finished(Run run)
    {
        Future<?> timer = run.timer;
        if (timer != null)
            timer.cancel(false);
        admission.release();
        String command = run.invocation.command().name();
        metrics.finished(command, run.reason(), run.durationMs());
        CliAudit.finished(run, policy);
        String evict = null;
        synchronized (finished)
        {
            finished.add(run.id);
            if (finished.size() > MAX_FINISHED_RETAINED)
                evict = finished.poll();
        }
        if (evict != null)
            runs.remove(evict);
        if (!closed)
            schedule(() -> forget(run.id), config.retainFor().toMillis());
    }

    private void forget(String id)
    {
        synchronized (finished)
        {
            finished.remove(id);
        }
        runs.remove(id);
    }

    void schedule(Runnable task, long delayMillis)
    {
        try
        {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException x)
        {
            task.run(); // stopping: run it now
        }
    }

    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long periodMillis)
    {
        try
        {
            return scheduler.scheduleAtFixedRate(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException x)
        {
            return null;
        }
    }

    /** Runs currently in the registry (running or retained). */
    int size()
    {
        return runs.size();
    }

    /**
     * Kills every child: queued requests are refused, running programs get SIGTERM, and SIGKILL
     * after {@code cli.kill-grace}. Waits (at most the grace plus two seconds) for the runs to end.
     */
    @Override
    public void close()
    {
        if (closed)
            return;
        closed = true;
        for (Runnable waiting : admission.close())
            waiting.run();
        for (Run r : runs.values())
            r.kill(Run.KILLED);
        long graceEnd = System.nanoTime() + config.killGrace().toNanos();
        if (!awaitAllFinished(graceEnd))
        {
            runs.values().forEach(Run::forceKill);
            awaitAllFinished(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        }
        scheduler.shutdownNow();
        LOG.debug("cli stopped; {} runs retained", runs.size());
    }

    private boolean awaitAllFinished(long deadline)
    {
        while (System.nanoTime() < deadline)
        {
            if (runs.values().stream().allMatch(Run::isFinished))
                return true;
            try
            {
                Thread.sleep(10);
            }
            catch (InterruptedException x)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return runs.values().stream().allMatch(Run::isFinished);
    }

    private static String newId()
    {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
