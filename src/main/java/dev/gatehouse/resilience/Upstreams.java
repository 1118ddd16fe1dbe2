package dev.gatehouse.resilience;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.config.RouteResilience;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream pools of all routes, across reloads: a route whose targets and resilience settings
 * did not change keeps its pool (breakers, health, in-flight counts); a changed or removed route's
 * pool stops being health-checked. Health checks run on one small scheduler with their own client.
 */
public final class Upstreams implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

    private final Map<String, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final HttpClient probeClient;
    private final HealthChecker healthChecker;
    private final MetricRegistry metrics;

    /** @param metrics the registry the pools publish to, or null */
    public Upstreams(MetricRegistry metrics)
    {
        this.metrics = metrics;
        scheduler = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "gatehouse-health");
            t.setDaemon(true);
            return t;
        });
        probeClient = new HttpClient();
        probeClient.setFollowRedirects(false);
        probeClient.setUserAgentField(null);
        try
        {
            probeClient.start();
        }
        catch (Exception x)
        {
            throw new IllegalStateException("cannot start the health-check client", x);
        }
        healthChecker = new HealthChecker(probeClient, scheduler, (route, target, healthy, reason) ->
            LOG.warn("route '{}' target {} is now {} ({})", route, target.url(), healthy ? "healthy" : "UNHEALTHY", reason));
    }

    /** Makes the pools match a configuration: keeps unchanged ones, builds new ones, retires the rest. */
    public synchronized void update(GatehouseConfig config)
    {
        Set<String> names = new HashSet<>();
        for (RouteConfig route : config.routes())
        {
            names.add(route.name());
            UpstreamPool existing = pools.get(route.name());
            if (existing != null && sameUpstreams(existing.route(), route))
                continue;
            if (existing != null)
            {
                healthChecker.unwatch(route.name());
                existing.unpublish();
            }
            UpstreamPool pool = new UpstreamPool(route, metrics);
            RouteResilience s = route.resilience();
            if (!s.healthPath().isEmpty())
            {
                healthChecker.watch(route.name(), pool.targets(), new HealthChecker.Settings(s.healthPath(), s.healthInterval(),
                    s.healthTimeout(), s.healthyThreshold(), s.unhealthyThreshold(), s.expectedStatusMin(), s.expectedStatusMax()));
            }
            pools.put(route.name(), pool);
        }
        for (String name : Set.copyOf(pools.keySet()))
        {
            if (!names.contains(name))
            {
                healthChecker.unwatch(name);
                pools.remove(name).unpublish();
            }
        }
    }

    private static boolean sameUpstreams(RouteConfig a, RouteConfig b)
    {
        return Objects.equals(a.targets(), b.targets()) && Objects.equals(a.resilience(), b.resilience());
    }

    /** The pool of a route, or null. */
    public UpstreamPool pool(String route)
    {
        return pools.get(route);
    }

    public Map<String, UpstreamPool> pools()
    {
        return Map.copyOf(pools);
    }

    @Override
    public synchronized void close()
    {
        healthChecker.close();
        dev.gatehouse.http.BackgroundThreads.stopNow(scheduler);
        try
        {
            probeClient.stop();
        }
        catch (Exception x)
        {
            LOG.debug("stopping the health-check client", x);
        }
    }

}
