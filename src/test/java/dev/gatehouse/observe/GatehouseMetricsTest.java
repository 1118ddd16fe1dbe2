package dev.gatehouse.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.codahale.metrics.MetricRegistry;
import com.sun.management.ThreadMXBean;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

class GatehouseMetricsTest
{
    private static final long MS = 1_000_000L;

    private final MetricRegistry dropwizard = new MetricRegistry();
    private final GatehouseMetrics metrics = new GatehouseMetrics(dropwizard);

    private String scrape() throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.prometheus().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertLine(String text, String line)
    {
        assertTrue(text.lines().anyMatch(line::equals), () -> "missing line <" + line + "> in\n" + text);
    }

    @Test
    void exposesEveryNativeSeriesWithExactNamesAndLabels() throws IOException
    {
        metrics.request("GET", 200, "api", 30 * MS, 10, 500);
        metrics.request("GET", 200, "api", 70 * MS, 0, 300);
        metrics.request("POST", 502, "forward", 2_000 * MS, 1000, 0);
        metrics.upstream("api", "http://a:8080", "success");
        metrics.upstream("api", "http://a:8080", "success");
        metrics.upstream("forward", "-", "refused");
        metrics.rejection("ssrf");
        metrics.connectionOpened();
        metrics.upstreamStates(() -> List.of(new GatehouseMetrics.TargetState("api", "http://a:8080", 0, true, 1)));

        String text = scrape();
        assertEquals(Set.of("gatehouse_active_connections gauge", "gatehouse_received_bytes_total counter",
                "gatehouse_sent_bytes_total counter", "gatehouse_rejections_total counter",
                "gatehouse_request_duration_seconds histogram", "gatehouse_requests_total counter",
                "gatehouse_tunnel_bytes_total counter", "gatehouse_tunnels_active gauge",
                "gatehouse_upstream_breaker_state gauge", "gatehouse_upstream_healthy gauge", "gatehouse_upstream_in_flight gauge",
                "gatehouse_upstream_requests_total counter"),
            text.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.substring(7)).collect(Collectors.toSet()));
        assertLine(text, "# TYPE gatehouse_requests_total counter");
        assertLine(text, "gatehouse_requests_total{method=\"GET\",route=\"api\",status=\"200\"} 2.0");
        assertLine(text, "gatehouse_requests_total{method=\"POST\",route=\"forward\",status=\"502\"} 1.0");
        assertLine(text, "# TYPE gatehouse_request_duration_seconds histogram");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"api\",le=\"0.025\"} 0");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"api\",le=\"0.05\"} 1");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"api\",le=\"0.1\"} 2");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"api\",le=\"30.0\"} 2");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"api\",le=\"+Inf\"} 2");
        assertLine(text, "gatehouse_request_duration_seconds_count{route=\"api\"} 2");
        assertLine(text, "gatehouse_request_duration_seconds_sum{route=\"api\"} 0.1");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"forward\",le=\"1.0\"} 0");
        assertLine(text, "gatehouse_request_duration_seconds_bucket{route=\"forward\",le=\"2.5\"} 1");
        assertLine(text, "gatehouse_upstream_requests_total{outcome=\"success\",route=\"api\",target=\"http://a:8080\"} 2.0");
        assertLine(text, "gatehouse_upstream_requests_total{outcome=\"refused\",route=\"forward\",target=\"-\"} 1.0");
        assertLine(text, "gatehouse_received_bytes_total 1010.0");
        assertLine(text, "gatehouse_sent_bytes_total 800.0");
        assertLine(text, "# TYPE gatehouse_active_connections gauge");
        assertLine(text, "gatehouse_active_connections 1.0");
        assertLine(text, "# TYPE gatehouse_tunnels_active gauge");
        assertLine(text, "gatehouse_tunnels_active 0.0");
        assertLine(text, "gatehouse_tunnel_bytes_total{direction=\"client_to_upstream\"} 0.0");
        assertLine(text, "gatehouse_tunnel_bytes_total{direction=\"upstream_to_client\"} 0.0");
        assertLine(text, "gatehouse_rejections_total{reason=\"ssrf\"} 1.0");
        assertFalse(text.contains("_total_total"), text);
        assertFalse(text.contains("quantile=") && text.contains("gatehouse_request_duration_seconds{"), text);
    }

    @Test
    void countsUnknownMethodsAsOther() throws IOException
    {
        metrics.request("PROPFIND", 207, "none", MS, 0, 0);
        metrics.request("get", 200, "none", MS, 0, 0);
        metrics.request(null, 400, "none", MS, 0, 0);
        metrics.request("TRACE", 405, "none", MS, 0, 0);

        String text = scrape();
        assertLine(text, "gatehouse_requests_total{method=\"OTHER\",route=\"none\",status=\"207\"} 1.0");
        assertLine(text, "gatehouse_requests_total{method=\"OTHER\",route=\"none\",status=\"200\"} 1.0");
        assertLine(text, "gatehouse_requests_total{method=\"OTHER\",route=\"none\",status=\"400\"} 1.0");
        assertLine(text, "gatehouse_requests_total{method=\"TRACE\",route=\"none\",status=\"405\"} 1.0");
        assertFalse(text.contains("PROPFIND"), text);
    }

    @Test
    void keepsOutOfRangeStatusesButOutsideTheStatusClasses() throws IOException
    {
        metrics.request("GET", 0, "api", MS, 0, 0);
        assertLine(scrape(), "gatehouse_requests_total{method=\"GET\",route=\"api\",status=\"0\"} 1.0");
        GatehouseMetrics.Totals totals = metrics.totals();
        assertEquals(1, totals.requests());
        assertEquals(0, totals.status1xx() + totals.status2xx() + totals.status3xx() + totals.status4xx() + totals.status5xx());
    }

    @Test
    void totalsCountByStatusClassWithRecentPercentiles()
    {
        int[] statuses = {101, 200, 204, 299, 301, 304, 404, 429, 403, 500, 503, 599};
        for (int status : statuses)
            metrics.request("GET", status, "api", 100 * MS, 5, 7);

        GatehouseMetrics.Totals totals = metrics.totals();
        assertEquals(statuses.length, totals.requests());
        assertEquals(1, totals.status1xx());
        assertEquals(3, totals.status2xx());
        assertEquals(2, totals.status3xx());
        assertEquals(3, totals.status4xx());
        assertEquals(3, totals.status5xx());
        assertEquals(0.1, totals.p50Seconds(), 1e-9);
        assertEquals(0.1, totals.p95Seconds(), 1e-9);
        assertEquals(0.1, totals.p99Seconds(), 1e-9);
        assertEquals(5L * statuses.length, totals.bytesReceived());
        assertEquals(7L * statuses.length, totals.bytesSent());
    }

    @Test
    void totalsReportZeroPercentilesBeforeAnyRequest()
    {
        GatehouseMetrics.Totals totals = metrics.totals();
        assertEquals(0, totals.requests());
        assertEquals(0.0, totals.p99Seconds());
        assertEquals(Map.of(), totals.rejections());
    }

    @Test
    void totalsListRejectionsByReason() throws IOException
    {
        metrics.rejection("acl");
        metrics.rejection("rate-limit");
        metrics.rejection("rate-limit");
        metrics.rejection("auth-failed");

        assertEquals(Map.of("acl", 1L, "rate-limit", 2L, "auth-failed", 1L), metrics.totals().rejections());
        assertLine(scrape(), "gatehouse_rejections_total{reason=\"rate-limit\"} 2.0");
    }

    @Test
    void tunnelAndConnectionGaugesGoUpAndDown() throws IOException
    {
        metrics.tunnelOpened();
        metrics.tunnelOpened();
        metrics.connectionOpened();
        assertLine(scrape(), "gatehouse_tunnels_active 2.0");
        assertEquals(2, metrics.totals().activeTunnels());
        assertEquals(1, metrics.totals().activeConnections());

        metrics.tunnelClosed(100, 2500);
        metrics.connectionClosed();
        String text = scrape();
        assertLine(text, "gatehouse_tunnels_active 1.0");
        assertLine(text, "gatehouse_active_connections 0.0");
        assertLine(text, "gatehouse_tunnel_bytes_total{direction=\"client_to_upstream\"} 100.0");
        assertLine(text, "gatehouse_tunnel_bytes_total{direction=\"upstream_to_client\"} 2500.0");
        assertEquals(1, metrics.totals().activeTunnels());
        assertEquals(0, metrics.totals().activeConnections());
    }

    @Test
    void upstreamStateGaugesReadTheSupplierAtScrapeTime() throws IOException
    {
        List<GatehouseMetrics.TargetState> states = new ArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        metrics.upstreamStates(() ->
        {
            reads.incrementAndGet();
            return List.copyOf(states);
        });
        assertFalse(scrape().contains("gatehouse_upstream_healthy{"));

        states.add(new GatehouseMetrics.TargetState("api", "http://a:8080", 2, false, 3));
        states.add(new GatehouseMetrics.TargetState("api", "http://b:8080", 0, true, 0));
        String text = scrape();
        assertLine(text, "gatehouse_upstream_breaker_state{route=\"api\",target=\"http://a:8080\"} 2.0");
        assertLine(text, "gatehouse_upstream_healthy{route=\"api\",target=\"http://a:8080\"} 0.0");
        assertLine(text, "gatehouse_upstream_in_flight{route=\"api\",target=\"http://a:8080\"} 3.0");
        assertLine(text, "gatehouse_upstream_healthy{route=\"api\",target=\"http://b:8080\"} 1.0");

        states.set(0, new GatehouseMetrics.TargetState("api", "http://a:8080", 1, true, 0));
        text = scrape();
        assertLine(text, "gatehouse_upstream_breaker_state{route=\"api\",target=\"http://a:8080\"} 1.0");
        assertLine(text, "gatehouse_upstream_healthy{route=\"api\",target=\"http://a:8080\"} 1.0");
        assertTrue(reads.get() >= 3, "supplier read on each scrape");
    }

    @Test
    void bridgesTheDropwizardRegistry() throws IOException
    {
        dropwizard.counter("gatehouse.breaker.opened").inc(4);
        metrics.request("GET", 200, "api", 20 * MS, 0, 0);

        String text = scrape();
        assertLine(text, "gatehouse_breaker_opened_total 4.0");
        assertTrue(dropwizard.getHistograms().containsKey("gatehouse.requests.duration"));
        assertEquals(1, dropwizard.histogram("gatehouse.requests.duration").getCount());
        assertFalse(text.contains("gatehouse_requests_duration"), "the dashboard's microsecond histogram stays out of Prometheus: " + text);
    }

    @Test
    void sharesTheDropwizardHistogramWhenBuiltTwiceOnOneRegistry()
    {
        GatehouseMetrics again = new GatehouseMetrics(dropwizard);
        again.request("GET", 200, "api", MS, 0, 0);
        assertEquals(1, dropwizard.histogram("gatehouse.requests.duration").getCount());
    }

    @Test
    void countsConcurrentRequestsExactly() throws Exception
    {
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            Thread worker = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (InterruptedException e)
                {
                    return;
                }
                for (int i = 0; i < perThread; i++)
                    metrics.request(i % 2 == 0 ? "GET" : "POST", 200 + i % 3, "r" + (i % 4 == 0 ? "" : "x"), MS, 1, 1);
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers)
            worker.join();

        String text = scrape();
        long sum = text.lines().filter(l -> l.startsWith("gatehouse_requests_total{"))
            .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals((long) threads * perThread, sum);
        assertEquals((long) threads * perThread, metrics.totals().status2xx());
    }

    /**
     * The hot path allocates no object per call once the label children exist (the smallest object
     * is 16 bytes; what remains is the registries' occasional bookkeeping). Counted in bytes by the
     * JVM, not in wall-clock time, so a busy machine cannot fail it; speed is the benchmarks' job.
     */
    @Test
    void recordingARequestAllocatesNothing()
    {
        String[] methods = {"GET", "POST", "GET", "HEAD"};
        int[] statuses = {200, 404, 200, 502};
        String[] routes = {"api", "forward", "static"};
        for (int i = 0; i < 300_000; i++)
            metrics.request(methods[i & 3], statuses[i & 3], routes[i % 3], i * 1000L, 100, 2000);

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int calls = 200_000;
        // the least of a few passes: on a loaded machine the JIT may compile request() (and
        // remove its boxing by escape analysis) only during the first of them
        long allocated = Long.MAX_VALUE;
        for (int pass = 0; pass < 5 && allocated / (double) calls >= 16.0; pass++)
        {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++)
                metrics.request(methods[i & 3], statuses[i & 3], routes[i % 3], i * 1000L, 100, 2000);
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(thread) - before);
        }
        System.out.printf("GatehouseMetrics.request: %.2f bytes allocated per call (%d calls)%n", allocated / (double) calls, calls);
        assertTrue(allocated / (double) calls < 16.0, "request() allocates " + allocated + " bytes over " + calls + " calls");
    }
}
