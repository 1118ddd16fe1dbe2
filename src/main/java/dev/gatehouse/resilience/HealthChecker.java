package dev.gatehouse.resilience;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.config.Durations;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: probes every watched {@link Target} with an asynchronous {@code GET
 * target.url() + path} and flips {@link Target#setHealthy(boolean)} after enough consecutive
 * failures ({@code unhealthyThreshold}) or successes ({@code healthyThreshold}).
 * <p>
 * Each target has its own probe loop on the given scheduler: the first probe waits a random
 * jitter in {@code [0, interval)} (so several instances do not probe in lockstep), and each next
 * probe is scheduled {@code interval} after the previous one completed, so a slow target never
 * has overlapping probes. The HTTP exchange itself runs on the client's threads; request
 * threads are never used. A status in {@code [expectedStatusMin, expectedStatusMax]} is a
 * success; any other status, a connect failure or a timeout is a failure. Redirects are not
 * followed: a 3xx is judged by its status.
 * <p>
 * The {@link Listener} hears each transition exactly once, from a client or scheduler thread,
 * while that target's state is held: it must be quick and must not block. After
 * {@link #unwatch(String)} or {@link #close()} returns, no probe of the affected targets changes
 * their state or notifies the listener any more.
 */
public final class HealthChecker implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    private static final int MAX_REASON = 120;

    /** What to probe and when. expectedStatusMin/Max e.g. 200..399. */
    public record Settings(String path, Duration interval, Duration timeout,
                           int healthyThreshold, int unhealthyThreshold, int expectedStatusMin, int expectedStatusMax)
    {
        public Settings
        {
            if (path == null || !path.startsWith("/"))
                throw new IllegalArgumentException("path must start with '/', but was " + path);
            if (interval == null || interval.isNegative() || interval.isZero())
                throw new IllegalArgumentException("interval must be > 0, but was " + interval);
            if (timeout == null || timeout.isNegative() || timeout.isZero())
                throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
            if (healthyThreshold < 1)
                throw new IllegalArgumentException("healthyThreshold must be >= 1, but was " + healthyThreshold);
            if (unhealthyThreshold < 1)
                throw new IllegalArgumentException("unhealthyThreshold must be >= 1, but was " + unhealthyThreshold);
            if (expectedStatusMin < 100 || expectedStatusMin > 599)
                throw new IllegalArgumentException("expectedStatusMin must be in 100..599, but was " + expectedStatusMin);
            if (expectedStatusMax < expectedStatusMin || expectedStatusMax > 599)
                throw new IllegalArgumentException("expectedStatusMax must be in " + expectedStatusMin + "..599, but was " + expectedStatusMax);
        }
    }

    /** Called once per state change (healthy -> unhealthy or back), never on repeats. */
    public interface Listener
    {
        void onChange(String route, Target target, boolean healthy, String reason);

        /**
         * A probe passed and the target has now passed at least {@code healthyThreshold} in a row
         * (called on every such probe, outside the target's state lock).
         */
        default void onPassing(String route, Target target)
        {
        }
    }

    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private final Map<String, List<Probe>> routes = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public HealthChecker(HttpClient client, ScheduledExecutorService scheduler, Listener listener)
    {
        this.client = Objects.requireNonNull(client, "client");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts probing these targets of a route (each target probed independently); targets start
     * healthy. Watching a route again replaces its previous probes.
     *
     * @throws IllegalStateException if this checker is closed
     */
    public void watch(String route, List<Target> targets, Settings settings)
    {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(settings, "settings");
        if (closed.get())
            throw new IllegalStateException("health checker is closed");
        List<Probe> probes = targets.stream().map(t -> new Probe(route, t, settings)).toList();
        List<Probe> previous = routes.put(route, probes);
        if (previous != null)
            previous.forEach(Probe::cancel);
        if (closed.get())
        {
            // close() ran concurrently and may have missed this route
            routes.remove(route, probes);
            probes.forEach(Probe::cancel);
            throw new IllegalStateException("health checker is closed");
        }
        probes.forEach(Probe::start);
    }

    /** Stops probing every target of that route. */
    public void unwatch(String route)
    {
        List<Probe> probes = routes.remove(route);
        if (probes != null)
            probes.forEach(Probe::cancel);
    }

    /** Stops all probes (does not stop the client or the scheduler it was given). */
    @Override
    public void close()
    {
        closed.set(true);
        routes.keySet().forEach(this::unwatch);
    }

    /** A short, log-safe reason for a failed probe exchange. */
    static String failureReason(Throwable failure, Duration timeout)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (t instanceof TimeoutException)
                return "timeout after " + Durations.format(timeout);
            if (t instanceof SocketTimeoutException)
                return "connect timeout";
            if (t instanceof ConnectException)
            {
                String message = t.getMessage();
                if (message == null || message.toLowerCase(Locale.ROOT).contains("refused"))
                    return "connect refused";
                return shorten("connect failed: " + message);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException)
                return "unknown host";
            if (t instanceof NoRouteToHostException)
                return "no route to host";
        }
        String message = failure.getMessage();
        return shorten("probe failed: " + failure.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private static String shorten(String reason)
    {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
    }

    /** The probe loop of one target. Probes of one target never overlap. */
    private final class Probe
    {
        private final String route;
        private final Target target;
        private final Settings settings;
        private final AtomicInteger successes = new AtomicInteger();
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicReference<Future<?>> next = new AtomicReference<>();
        private final AtomicReference<Request> inFlight = new AtomicReference<>();
        /** Guarded by this, together with the transition it vetoes; volatile for the quick checks. */
        private volatile boolean cancelled;
        /** Guarded by this. */
        private boolean healthy = true;

        private Probe(String route, Target target, Settings settings)
        {
            this.route = route;
            this.target = Objects.requireNonNull(target, "target");
            this.settings = settings;
        }

        void start()
        {
            synchronized (this)
            {
                if (cancelled)
                    return;
                target.setHealthy(true);
            }
            schedule(ThreadLocalRandom.current().nextLong(settings.interval().toNanos()));
        }

        void cancel()
        {
            synchronized (this)
            {
                cancelled = true;
            }
            Future<?> pending = next.getAndSet(null);
            if (pending != null)
                pending.cancel(false);
            Request request = inFlight.getAndSet(null);
            if (request != null)
                request.abort(new CancellationException("health check stopped"));
        }

        private void schedule(long delayNanos)
        {
            if (cancelled)
                return;
            try
            {
                next.set(scheduler.schedule(this::probe, delayNanos, TimeUnit.NANOSECONDS));
            }
            catch (RejectedExecutionException x)
            {
                LOG.debug("health check of {} {} not scheduled: scheduler is shut down", route, target);
                return;
            }
            if (cancelled)
            {
                // cancel() ran between the check and the set: do not leave a probe behind
                Future<?> pending = next.getAndSet(null);
                if (pending != null)
                    pending.cancel(false);
            }
        }

        private void probe()
        {
            if (cancelled)
                return;
            Request request;
            try
            {
                request = client.newRequest(target.url() + settings.path())
                    .method(HttpMethod.GET)
                    .followRedirects(false)
                    .timeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (RuntimeException x)
            {
                completed(false, shorten("bad probe URI: " + x.getMessage()));
                return;
            }
            inFlight.set(request);
            if (cancelled)
            {
                inFlight.set(null);
                return;
            }
            try
            {
                request.send(result -> onResult(request, result));
            }
            catch (RuntimeException x)
            {
                inFlight.compareAndSet(request, null);
                completed(false, failureReason(x, settings.timeout()));
            }
        }

        private void onResult(Request request, Result result)
        {
            inFlight.compareAndSet(request, null);
            if (result.isFailed())
            {
                completed(false, failureReason(result.getFailure(), settings.timeout()));
                return;
            }
            int status = result.getResponse().getStatus();
            completed(status >= settings.expectedStatusMin() && status <= settings.expectedStatusMax(), "status " + status);
        }

        private void completed(boolean success, String reason)
        {
            try
            {
                record(success, reason);
            }
            catch (RuntimeException x)
            {
                LOG.warn("health check listener failed for {} {}", route, target, x);
            }
            finally
            {
                schedule(settings.interval().toNanos());
            }
        }

        private void record(boolean success, String reason)
        {
            int streak;
            if (success)
            {
                failures.set(0);
                streak = successes.incrementAndGet();
            }
            else
            {
                successes.set(0);
                streak = failures.incrementAndGet();
            }
            LOG.debug("health check of {} {}: {} ({} in a row)", route, target, reason, streak);
            int threshold = success ? settings.healthyThreshold() : settings.unhealthyThreshold();
            if (success && streak >= threshold && !cancelled)
                listener.onPassing(route, target);
            synchronized (this)
            {
                if (cancelled || healthy == success || streak < threshold)
                    return;
                healthy = success;
                target.setHealthy(success);
                if (success)
                    LOG.info("upstream {} of route {} is healthy again: {}", target, route, reason);
                else
                    LOG.warn("upstream {} of route {} is unhealthy: {}", target, route, reason);
                listener.onChange(route, target, success, reason);
            }
        }
    }
}
