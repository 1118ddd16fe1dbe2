package dev.gatehouse.resilience;

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
import dev.gatehouse.http.BackgroundThreads;
import dev.gatehouse.http.ContextAttributes;
import dev.gatehouse.tls.UpstreamTlsSettings;
import jakarta.servlet.ServletContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream pools of all routes, across reloads: a route whose targets and resilience settings
 * did not change keeps its pool (breakers, health, in-flight counts); a changed or removed route's
 * pool stops being health-checked. Health checks run on one small scheduler with their own clients,
 * which verify upstream certificates like the proxy (upstream.tls.*), except for routes with
 * tls.insecure=true.
 */
public final class Upstreams implements AutoCloseable
{
    /** The servlet-context attribute under which the application publishes the upstream pools of the routes. */
    public static final String ATTRIBUTE = Upstreams.class.getName();

    /** The upstream pools of the routes published in this servlet context. */
    public static Upstreams from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, Upstreams.class);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);

    private final Map<String, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final Map<String, Boolean> insecure = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    /** Probes verify upstream certificates as the proxy does; routes with tls.insecure=true use the second client. */
    private HttpClient probeClient;
    private HttpClient insecureProbeClient;
    private HealthChecker healthChecker;
    private HealthChecker insecureHealthChecker;
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
    }

    /**
     * The probe client, built on the first configuration (upstream.tls.* needs a restart to
     * change); the one that skips verification only once a route asks for it.
     */
    private void startProbes(GatehouseConfig config)
    {
        if (healthChecker == null)
        {
            probeClient = probeClient(config, false);
            healthChecker = new HealthChecker(probeClient, scheduler, probeListener);
        }
        if (insecureHealthChecker == null && config.routes().stream().anyMatch(r -> config.protocols().route(r.name()).insecure()))
        {
            insecureProbeClient = probeClient(config, true);
            insecureHealthChecker = new HealthChecker(insecureProbeClient, scheduler, probeListener);
        }
    }

    /** Logs health transitions; a target passing its checks rejoins even if its breaker is open. */
    private final HealthChecker.Listener probeListener = new HealthChecker.Listener()
    {
        @Override
        public void onChange(String route, Target target, boolean healthy, String reason)
        {
            LOG.warn("route '{}' target {} is now {} ({})", route, target.url(), healthy ? "healthy" : "UNHEALTHY", reason);
        }

        @Override
        public void onPassing(String route, Target target)
        {
            UpstreamPool pool = pools.get(route);
            if (pool != null && pool.targets().contains(target))
                pool.healthChecksPass(target);
        }
    };

    private static HttpClient probeClient(GatehouseConfig config, boolean insecure)
    {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        UpstreamTlsSettings.apply(ssl, config.protocols().upstreamTls(), insecure);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        try
        {
            client.start();
        }
        catch (Exception x)
        {
            throw new IllegalStateException("cannot start the health-check client", x);
        }
        return client;
    }

    private HealthChecker checker(String route)
    {
        return Boolean.TRUE.equals(insecure.get(route)) ? insecureHealthChecker : healthChecker;
    }

    /** Makes the pools match a configuration: keeps unchanged ones, builds new ones, retires the rest. */
    public synchronized void update(GatehouseConfig config)
    {
        startProbes(config);
        Set<String> names = new HashSet<>();
        for (RouteConfig route : config.routes())
        {
            names.add(route.name());
            UpstreamPool existing = pools.get(route.name());
            boolean routeInsecure = config.protocols().route(route.name()).insecure();
            if (existing != null && sameUpstreams(existing.route(), route) && routeInsecure == Boolean.TRUE.equals(insecure.get(route.name())))
                continue;
            if (existing != null)
            {
                checker(route.name()).unwatch(route.name());
                existing.unpublish();
            }
            insecure.put(route.name(), routeInsecure);
            UpstreamPool pool = new UpstreamPool(route, metrics);
            RouteResilience s = route.resilience();
            if (!s.health().path().isEmpty())
            {
                checker(route.name()).watch(route.name(), pool.targets(), new HealthChecker.Settings(s.health().path(), s.health().interval(),
                    s.health().timeout(), s.health().healthyThreshold(), s.health().unhealthyThreshold(), s.health().expectedStatusMin(), s.health().expectedStatusMax()));
            }
            pools.put(route.name(), pool);
        }
        for (String name : Set.copyOf(pools.keySet()))
        {
            if (!names.contains(name))
            {
                checker(name).unwatch(name);
                insecure.remove(name);
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
        if (healthChecker != null)
            healthChecker.close();
        if (insecureHealthChecker != null)
            insecureHealthChecker.close();
        BackgroundThreads.stopNow(scheduler);
        for (HttpClient client : new HttpClient[] {probeClient, insecureProbeClient})
        {
            try
            {
                if (client != null)
                    client.stop();
            }
            catch (Exception x)
            {
                LOG.debug("stopping a health-check client", x);
            }
        }
    }

}
