package dev.gatehouse.observe;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import dev.gatehouse.http.ContextAttributes;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;

/**
 * The single place the proxy records what it does, for Prometheus and for the live dashboard.
 *
 * <p>Series in {@link #prometheus()} (names as exposed in the text format):
 * <ul>
 * <li>{@code gatehouse_requests_total{method,status,route}} counter; method is GET, HEAD, POST, PUT,
 *     DELETE, OPTIONS, PATCH, CONNECT, TRACE or OTHER</li>
 * <li>{@code gatehouse_request_duration_seconds{route}} classic histogram (buckets {@link #BUCKETS})</li>
 * <li>{@code gatehouse_upstream_requests_total{route,target,outcome}} counter</li>
 * <li>{@code gatehouse_received_bytes_total}, {@code gatehouse_sent_bytes_total} counters</li>
 * <li>{@code gatehouse_active_connections}, {@code gatehouse_tunnels_active} gauges</li>
 * <li>{@code gatehouse_tunnel_bytes_total{direction}} counter (client_to_upstream, upstream_to_client;
 *     added when a tunnel closes)</li>
 * <li>{@code gatehouse_rejections_total{reason}} counter</li>
 * <li>{@code gatehouse_upstream_breaker_state{route,target}} (0 closed, 1 half-open, 2 open),
 *     {@code gatehouse_upstream_healthy{route,target}} (1/0), {@code gatehouse_upstream_in_flight{route,target}}
 *     gauges, read from {@link #upstreamStates(Supplier)} at scrape time</li>
 * <li>every metric of the Dropwizard registry, bridged by {@link DropwizardExports}, except the
 *     per-target {@code gatehouse.upstream.*} ones (labelled series above) and
 *     {@code gatehouse.requests.duration}: this class adds that one to the Dropwizard registry, a lock-free,
 *     exponentially decaying (recent-biased) histogram of request durations in microseconds for the
 *     percentiles of {@link #totals()}; Prometheus has {@code gatehouse_request_duration_seconds}.</li>
 * </ul>
 *
 * <p>The recording methods are called for every request: the label data points are cached per route
 * (arrays indexed by method and status, filled lazily; a racing fill stores the same data point), so the
 * steady state allocates nothing and takes no lock of its own. The Dropwizard reservoir does take a short
 * monitor per update (that is its implementation).
 */
public final class GatehouseMetrics
{
    /** The servlet-context attribute under which the application publishes the instance's Prometheus and dashboard metrics. */
    public static final String ATTRIBUTE = GatehouseMetrics.class.getName();

    /** The instance's Prometheus and dashboard metrics published in this servlet context. */
    public static GatehouseMetrics from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, GatehouseMetrics.class);
    }

    /** Upper bounds, in seconds, of the request duration histogram. */
    public static final double[] BUCKETS = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30};
    static final String RECENT_DURATIONS = "gatehouse.requests.duration";

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "OTHER"};
    private static final int OTHER = METHODS.length - 1;
    private static final String[] OUTCOMES = {"success", "failure", "retry", "refused", "panic"};
    private static final int MIN_STATUS = 100;
    private static final int STATUS_SLOTS = 500;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram duration;
    private final Counter upstreamRequests;
    private final Counter rejections;
    private final Counter upstreamErrors;
    private final com.codahale.metrics.Histogram recentDurations;

    private final LongAdder requestCount = new LongAdder();
    private final LongAdder[] statusClasses = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder activeConnections = new LongAdder();
    private final LongAdder activeTunnels = new LongAdder();
    private final LongAdder tunnelBytesFromClient = new LongAdder();
    private final LongAdder tunnelBytesToClient = new LongAdder();

    private final ConcurrentHashMap<String, RouteSlot> routes = new ConcurrentHashMap<>();
    private final Function<String, RouteSlot> newRouteSlot = this::newRouteSlot;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, CounterDataPoint[]>> upstreamPoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CounterDataPoint> rejectionPoints = new ConcurrentHashMap<>();
    private final Function<String, CounterDataPoint> newRejectionPoint;
    private volatile Supplier<List<TargetState>> upstreamStates = List::of;

    public GatehouseMetrics(MetricRegistry dropwizard)
    {
        // Counter names are given without "_total": client 1.x strips it and the text format appends it.
        requests = Counter.builder().name("gatehouse_requests").help("Finished requests")
            .labelNames("method", "status", "route").withoutExemplars().register(registry);
        duration = Histogram.builder().name("gatehouse_request_duration_seconds").help("Request duration in seconds")
            .labelNames("route").classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        upstreamRequests = Counter.builder().name("gatehouse_upstream_requests").help("Upstream calls by outcome")
            .labelNames("route", "target", "outcome").withoutExemplars().register(registry);
        rejections = Counter.builder().name("gatehouse_rejections").help("Requests refused by a policy")
            .labelNames("reason").withoutExemplars().register(registry);
        newRejectionPoint = rejections::labelValues;
        upstreamErrors = Counter.builder().name("gatehouse_upstream_errors").help("Exchanges the upstream failed, by route and kind")
            .labelNames("route", "kind").withoutExemplars().register(registry);

        CounterWithCallback.builder().name("gatehouse_received_bytes").help("Request body bytes received from clients")
            .callback(cb -> cb.call(bytesReceived.sum())).register(registry);
        CounterWithCallback.builder().name("gatehouse_sent_bytes").help("Response body bytes sent to clients")
            .callback(cb -> cb.call(bytesSent.sum())).register(registry);
        GaugeWithCallback.builder().name("gatehouse_active_connections").help("Open client connections")
            .callback(cb -> cb.call(activeConnections.sum())).register(registry);
        GaugeWithCallback.builder().name("gatehouse_tunnels_active").help("Open CONNECT tunnels")
            .callback(cb -> cb.call(activeTunnels.sum())).register(registry);
        CounterWithCallback.builder().name("gatehouse_tunnel_bytes").help("Bytes relayed by closed CONNECT tunnels")
            .labelNames("direction")
            .callback(cb -> {
                cb.call(tunnelBytesFromClient.sum(), "client_to_upstream");
                cb.call(tunnelBytesToClient.sum(), "upstream_to_client");
            }).register(registry);
        GaugeWithCallback.builder().name("gatehouse_upstream_breaker_state").help("Circuit breaker: 0 closed, 1 half-open, 2 open")
            .labelNames("route", "target")
            .callback(cb -> upstreamStates.get().forEach(s -> cb.call(s.breakerState(), s.route(), s.target()))).register(registry);
        GaugeWithCallback.builder().name("gatehouse_upstream_healthy").help("Upstream target healthy (1) or not (0)")
            .labelNames("route", "target")
            .callback(cb -> upstreamStates.get().forEach(s -> cb.call(s.healthy() ? 1 : 0, s.route(), s.target()))).register(registry);
        GaugeWithCallback.builder().name("gatehouse_upstream_in_flight").help("Calls in flight to the upstream target")
            .labelNames("route", "target")
            .callback(cb -> upstreamStates.get().forEach(s -> cb.call(s.inFlight(), s.route(), s.target()))).register(registry);

        recentDurations = dropwizard.histogram(RECENT_DURATIONS,
            () -> new com.codahale.metrics.Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
        // the per-target upstream metrics are exported natively, with route and target as labels;
        // the microsecond histogram is the dashboard's (Prometheus names carry base units: seconds)
        DropwizardExports.builder().dropwizardRegistry(dropwizard)
            .metricFilter((name, metric) -> !name.startsWith("gatehouse.upstream.") && !name.equals(RECENT_DURATIONS)).register(registry);
    }

    /** The Prometheus registry: the native series plus the bridged Dropwizard registry. */
    public PrometheusRegistry prometheus()
    {
        return registry;
    }

    /** A finished request. route = route name, "forward", "connect" or "none"; status the final status. */
    public void request(String method, int status, String route, long durationNanos, long bytesReceived, long bytesSent)
    {
        RouteSlot slot = slot(route == null ? "none" : route);
        int m = methodIndex(method);
        if (status >= MIN_STATUS && status < MIN_STATUS + STATUS_SLOTS)
        {
            slot.counter(m, status).inc();
            statusClasses[status / 100 - 1].increment();
        }
        else
            requests.labelValues(METHODS[m], Integer.toString(status), slot.route).inc();
        long nanos = Math.max(0, durationNanos);
        slot.duration.observe(nanos / 1e9);
        recentDurations.update(nanos / 1000);
        requestCount.increment();
        if (bytesReceived > 0)
            this.bytesReceived.add(bytesReceived);
        if (bytesSent > 0)
            this.bytesSent.add(bytesSent);
    }

    /**
     * An upstream call: outcome = "success" | "failure" | "retry" | "refused" | "panic" (an attempt sent to
     * a target in panic mode, whose own success or failure follows); target the configured base URL or "-".
     */
    public void upstream(String route, String target, String outcome)
    {
        int o = outcomeIndex(outcome);
        if (o < 0)
        {
            upstreamRequests.labelValues(route, target, String.valueOf(outcome)).inc();
            return;
        }
        ConcurrentHashMap<String, CounterDataPoint[]> byTarget = upstreamPoints.get(route);
        if (byTarget == null)
            byTarget = upstreamPoints.computeIfAbsent(route, r -> new ConcurrentHashMap<>());
        CounterDataPoint[] points = byTarget.get(target);
        if (points == null)
            points = byTarget.computeIfAbsent(target, t -> new CounterDataPoint[OUTCOMES.length]);
        CounterDataPoint point = points[o];
        if (point == null)
            points[o] = point = upstreamRequests.labelValues(route, target, OUTCOMES[o]);
        point.inc();
    }

    /**
     * An exchange the upstream failed (refused, reset, timed out, invalid, or a body cut off after
     * the response started); route is the route name or "forward", kind one of {@code Failures.kind}'s.
     * Failures the client caused are not counted here. Rare, so the labels are looked up each time.
     */
    public void upstreamError(String route, String kind)
    {
        upstreamErrors.labelValues(route, kind).inc();
    }

    /** A refusal by a policy; reason is one of a fixed set ("acl", "rate-limit", "ssrf", ...). */
    public void rejection(String reason)
    {
        CounterDataPoint point = rejectionPoints.get(reason);
        if (point == null)
            point = rejectionPoints.computeIfAbsent(reason, newRejectionPoint);
        point.inc();
    }

    public void connectionOpened()
    {
        activeConnections.increment();
    }

    public void connectionClosed()
    {
        activeConnections.decrement();
    }

    public void tunnelOpened()
    {
        activeTunnels.increment();
    }

    public void tunnelClosed(long bytesFromClient, long bytesToClient)
    {
        activeTunnels.decrement();
        if (bytesFromClient > 0)
            tunnelBytesFromClient.add(bytesFromClient);
        if (bytesToClient > 0)
            tunnelBytesToClient.add(bytesToClient);
    }

    /** Per-target upstream state, read when scraped. breakerState: 0 closed, 1 half-open, 2 open. */
    public record TargetState(String route, String target, int breakerState, boolean healthy, int inFlight) {}

    /** Sets where the upstream state gauges read from; the supplier is called on every scrape. */
    public void upstreamStates(Supplier<List<TargetState>> states)
    {
        upstreamStates = states == null ? List::of : states;
    }

    /** Cumulative totals for the dashboard (it computes rates from successive samples); percentiles biased to the last minutes (exponentially decaying reservoir). */
    public record Totals(long requests, long status1xx, long status2xx, long status3xx, long status4xx, long status5xx,
                         double p50Seconds, double p95Seconds, double p99Seconds,
                         long activeConnections, long activeTunnels, long bytesReceived, long bytesSent,
                         Map<String, Long> rejections) {}

    public Totals totals()
    {
        Snapshot recent = recentDurations.getSnapshot();
        Map<String, Long> refused = new TreeMap<>();
        rejectionPoints.forEach((reason, point) -> refused.put(reason, point.getLongValue()));
        return new Totals(requestCount.sum(), statusClasses[0].sum(), statusClasses[1].sum(), statusClasses[2].sum(),
            statusClasses[3].sum(), statusClasses[4].sum(),
            recent.getMedian() / 1e6, recent.get95thPercentile() / 1e6, recent.get99thPercentile() / 1e6,
            activeConnections.sum(), activeTunnels.sum(), bytesReceived.sum(), bytesSent.sum(),
            Collections.unmodifiableMap(refused));
    }

    private RouteSlot slot(String route)
    {
        RouteSlot slot = routes.get(route);
        return slot != null ? slot : routes.computeIfAbsent(route, newRouteSlot);
    }

    private RouteSlot newRouteSlot(String route)
    {
        return new RouteSlot(route, duration.labelValues(route));
    }

    static int methodIndex(String method)
    {
        if (method == null)
            return OTHER;
        return switch (method)
        {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "OPTIONS" -> 5;
            case "PATCH" -> 6;
            case "CONNECT" -> 7;
            case "TRACE" -> 8;
            default -> OTHER;
        };
    }

    private static int outcomeIndex(String outcome)
    {
        if (outcome == null)
            return -1;
        return switch (outcome)
        {
            case "success" -> 0;
            case "failure" -> 1;
            case "retry" -> 2;
            case "refused" -> 3;
            case "panic" -> 4;
            default -> -1;
        };
    }

    /** The cached data points of one route. Rows and cells are filled racily: labelValues returns the same point. */
    private final class RouteSlot
    {
        final String route;
        final DistributionDataPoint duration;
        final CounterDataPoint[][] byMethod = new CounterDataPoint[METHODS.length][];

        RouteSlot(String route, DistributionDataPoint duration)
        {
            this.route = route;
            this.duration = duration;
        }

        CounterDataPoint counter(int method, int status)
        {
            CounterDataPoint[] row = byMethod[method];
            if (row == null)
                byMethod[method] = row = new CounterDataPoint[STATUS_SLOTS];
            CounterDataPoint point = row[status - MIN_STATUS];
            if (point == null)
                row[status - MIN_STATUS] = point = requests.labelValues(METHODS[method], Integer.toString(status), route);
            return point;
        }
    }
}
