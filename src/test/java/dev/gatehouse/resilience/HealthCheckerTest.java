package dev.gatehouse.resilience;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Probes real, controllable Jetty origins on 127.0.0.1; waits on events and request counts, never on fixed sleeps. */
class HealthCheckerTest
{
    private static final long WAIT_MS = 10_000;

    private final List<StatusOrigin> origins = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private HttpClient client;
    private ScheduledExecutorService scheduler;
    private HealthChecker checker;

    /** A listener call, with how many probes the target's origin had received at that moment. */
    private record Event(String route, Target target, boolean healthy, String reason, int requestsSeen) {}

    @BeforeEach
    void start() throws Exception
    {
        client = new HttpClient();
        client.start();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        checker = new HealthChecker(client, scheduler, (route, target, healthy, reason) ->
            events.add(new Event(route, target, healthy, reason, requestsOf(target))));
    }

    @AfterEach
    void stop() throws Exception
    {
        checker.close();
        scheduler.shutdownNow();
        client.stop();
        for (StatusOrigin origin : origins)
            origin.close();
    }

    @Test
    void becomesUnhealthyAfterExactlyUnhealthyThresholdFailures() throws Exception
    {
        StatusOrigin origin = origin(503);
        Target target = new Target(origin.url(), 1);
        checker.watch("r", List.of(target), settings(2, 3, 5000));

        Event event = nextEvent();
        assertFalse(event.healthy());
        assertEquals(3, event.requestsSeen(), "probes received when it turned unhealthy: " + event);
        assertEquals("status 503", event.reason());
        assertFalse(target.isHealthy());

        await(() -> origin.requests() >= 7, "more failing probes");
        assertTrue(events.isEmpty(), "no repeat notifications: " + events);
        assertFalse(target.isHealthy());
    }

    @Test
    void returnsToHealthyOnlyAfterHealthyThresholdConsecutiveSuccesses() throws Exception
    {
        StatusOrigin origin = origin(200);
        // the 503 after two 200s resets the success streak: healthy again only at probe 8
        origin.script.addAll(List.of(503, 503, 200, 200, 503, 200, 200, 200));
        Target target = new Target(origin.url(), 1);
        checker.watch("r", List.of(target), settings(3, 2, 5000));

        Event down = nextEvent();
        assertFalse(down.healthy());
        assertEquals(2, down.requestsSeen(), down::toString);
        Event up = nextEvent();
        assertTrue(up.healthy());
        assertEquals(8, up.requestsSeen(), up::toString);
        assertEquals("status 200", up.reason());
        assertTrue(target.isHealthy());

        await(() -> origin.requests() >= 11, "more passing probes");
        assertTrue(events.isEmpty(), "no repeat notifications: " + events);
    }

    @Test
    void refusedPortBecomesUnhealthy() throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))
        {
            port = socket.getLocalPort();
        }
        Target target = new Target("http://127.0.0.1:" + port, 1);
        checker.watch("r", List.of(target), settings(1, 2, 5000));

        Event event = nextEvent();
        assertFalse(event.healthy());
        assertEquals("connect refused", event.reason());
        assertFalse(target.isHealthy());
    }

    @Test
    void hangingTargetTimesOut() throws Exception
    {
        StatusOrigin origin = origin(200);
        origin.hold(new CountDownLatch(1), WAIT_MS);
        Target target = new Target(origin.url(), 1);
        checker.watch("r", List.of(target), settings(1, 1, 200));

        Event event = nextEvent();
        assertFalse(event.healthy());
        assertEquals("timeout after 200ms", event.reason());
        assertFalse(target.isHealthy());
    }

    @Test
    void expectedStatusRangeIsRespectedAndRedirectsAreNotFollowed() throws Exception
    {
        StatusOrigin noContent = origin(204);
        StatusOrigin redirect = origin(302);
        StatusOrigin missing = origin(404);
        Target ok = new Target(noContent.url(), 1);
        Target moved = new Target(redirect.url(), 1);
        Target gone = new Target(missing.url(), 1);
        checker.watch("r", List.of(ok, moved, gone), settings(1, 1, 5000));

        Event event = nextEvent();
        assertEquals(gone, event.target());
        assertEquals("status 404", event.reason());

        int seen = Math.min(noContent.requests(), redirect.requests());
        await(() -> noContent.requests() >= seen + 3 && redirect.requests() >= seen + 3, "more probes of 204 and 302");
        assertTrue(ok.isHealthy());
        assertTrue(moved.isHealthy());
        assertFalse(gone.isHealthy());
        assertTrue(events.isEmpty(), "only the 404 target changed: " + events);
        for (StatusOrigin origin : List.of(noContent, redirect, missing))
            assertTrue(origin.paths.stream().allMatch("/healthz"::equals), "probed path only: " + origin.paths);
    }

    @Test
    void twoTargetsAreTrackedIndependently() throws Exception
    {
        StatusOrigin bad = origin(503);
        StatusOrigin good = origin(200);
        Target badTarget = new Target(bad.url(), 1);
        Target goodTarget = new Target(good.url(), 1);
        checker.watch("r", List.of(badTarget, goodTarget), settings(2, 2, 5000));

        Event down = nextEvent();
        assertEquals(badTarget, down.target());
        assertFalse(down.healthy());

        // swap their answers: each target follows only its own probes
        bad.status.set(200);
        good.status.set(503);
        Event first = nextEvent();
        Event second = nextEvent();
        List<Event> both = List.of(first, second);
        assertTrue(both.stream().anyMatch(e -> e.target() == badTarget && e.healthy()), both::toString);
        assertTrue(both.stream().anyMatch(e -> e.target() == goodTarget && !e.healthy()), both::toString);
        assertTrue(badTarget.isHealthy());
        assertFalse(goodTarget.isHealthy());
    }

    @Test
    void unwatchStopsProbing() throws Exception
    {
        StatusOrigin watched = origin(200);
        StatusOrigin control = origin(200);
        checker.watch("a", List.of(new Target(watched.url(), 1)), settings(1, 1, 5000));
        checker.watch("b", List.of(new Target(control.url(), 1)), settings(1, 1, 5000));
        await(() -> watched.requests() >= 2, "probes of the watched route");

        checker.unwatch("a");
        int after = watched.requests();
        int controlAfter = control.requests();
        await(() -> control.requests() >= controlAfter + 6, "control probes after unwatch");
        // at most the one probe that was already on its way
        assertTrue(watched.requests() <= after + 1, "probes after unwatch: " + (watched.requests() - after));
    }

    @Test
    void probeCompletingAfterUnwatchChangesNothing() throws Exception
    {
        StatusOrigin held = origin(503);
        CountDownLatch gate = new CountDownLatch(1);
        held.hold(gate, WAIT_MS);
        StatusOrigin control = origin(200);
        Target target = new Target(held.url(), 1);
        checker.watch("a", List.of(target), new HealthChecker.Settings("/healthz", Duration.ofMillis(20),
            Duration.ofSeconds(5), 1, 1, 200, 399));
        checker.watch("b", List.of(new Target(control.url(), 1)), settings(1, 1, 5000));
        await(() -> held.requests() == 1, "the held probe in flight");

        checker.unwatch("a");
        gate.countDown();
        int controlAfter = control.requests();
        await(() -> control.requests() >= controlAfter + 6, "control probes after unwatch");
        assertTrue(target.isHealthy());
        assertTrue(events.isEmpty(), "no change after unwatch: " + events);
        assertEquals(1, held.requests());
    }

    @Test
    void closeStopsAllProbes() throws Exception
    {
        StatusOrigin watched = origin(503);
        StatusOrigin control = origin(200);
        checker.watch("a", List.of(new Target(watched.url(), 1)), settings(1, 1, 5000));
        try (HealthChecker other = new HealthChecker(client, scheduler, (r, t, h, why) -> {}))
        {
            other.watch("b", List.of(new Target(control.url(), 1)), settings(1, 1, 5000));
            await(() -> watched.requests() >= 2, "probes before close");

            checker.close();
            int after = watched.requests();
            int controlAfter = control.requests();
            await(() -> control.requests() >= controlAfter + 6, "control probes after close");
            assertTrue(watched.requests() <= after + 1, "probes after close: " + (watched.requests() - after));
            assertThrows(IllegalStateException.class, () -> checker.watch("a", List.of(), settings(1, 1, 5000)));
        }
    }

    @Test
    void slowTargetNeverHasOverlappingProbes() throws Exception
    {
        StatusOrigin slow = origin(200);
        slow.hold(new CountDownLatch(1), 60); // never released: every answer takes 60ms
        Target target = new Target(slow.url(), 1);
        checker.watch("r", List.of(target), new HealthChecker.Settings("/healthz", Duration.ofMillis(5),
            Duration.ofSeconds(5), 1, 1, 200, 399));

        await(() -> slow.requests() >= 5, "several slow probes");
        assertEquals(1, slow.maxActive.get(), "concurrent probes of one target");
        assertTrue(target.isHealthy());
        assertTrue(events.isEmpty(), events::toString);
    }

    @Test
    void settingsNameTheBadValue()
    {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () ->
            new HealthChecker.Settings("/healthz", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 0, 200, 399));
        assertEquals("unhealthyThreshold must be >= 1, but was 0", x.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
            new HealthChecker.Settings("healthz", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 2, 200, 399));
        assertThrows(IllegalArgumentException.class, () ->
            new HealthChecker.Settings("/healthz", Duration.ZERO, Duration.ofSeconds(2), 2, 2, 200, 399));
        assertThrows(IllegalArgumentException.class, () ->
            new HealthChecker.Settings("/healthz", Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 2, 400, 399));
    }

    @Test
    void reasonsAreShort()
    {
        assertEquals("timeout after 2s",
            HealthChecker.failureReason(new TimeoutException("Total timeout 2000 ms elapsed"), Duration.ofSeconds(2)));
        assertEquals("connect refused",
            HealthChecker.failureReason(new RuntimeException(new ConnectException("Connection refused")), Duration.ofSeconds(2)));
    }

    private static HealthChecker.Settings settings(int healthyThreshold, int unhealthyThreshold, long timeoutMs)
    {
        return new HealthChecker.Settings("/healthz", Duration.ofMillis(20), Duration.ofMillis(timeoutMs),
            healthyThreshold, unhealthyThreshold, 200, 399);
    }

    private Event nextEvent() throws InterruptedException
    {
        Event event = events.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(event, "no health change within " + WAIT_MS + "ms");
        return event;
    }

    private int requestsOf(Target target)
    {
        for (StatusOrigin origin : origins)
            if (origin.url().equals(target.url()))
                return origin.requests();
        return -1;
    }

    private StatusOrigin origin(int status) throws Exception
    {
        StatusOrigin origin = new StatusOrigin(status);
        origins.add(origin);
        return origin;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(2);
        }
    }

    /** A tiny origin answering the next scripted status, else {@link #status}, optionally held on a latch first. */
    private static final class StatusOrigin implements AutoCloseable
    {
        final AtomicInteger status;
        final Queue<Integer> script = new ConcurrentLinkedQueue<>();
        final Queue<String> paths = new ConcurrentLinkedQueue<>();
        final AtomicInteger maxActive = new AtomicInteger();
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger active = new AtomicInteger();
        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);
        private volatile CountDownLatch hold;
        private volatile long holdMs;

        StatusOrigin(int status) throws Exception
        {
            this.status = new AtomicInteger(status);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract()
            {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception
                {
                    requests.incrementAndGet();
                    paths.add(request.getHttpURI().getPath());
                    int now = active.incrementAndGet();
                    maxActive.accumulateAndGet(now, Math::max);
                    try
                    {
                        CountDownLatch latch = hold;
                        if (latch != null)
                            latch.await(holdMs, TimeUnit.MILLISECONDS);
                        Integer scripted = script.poll();
                        int code = scripted != null ? scripted : StatusOrigin.this.status.get();
                        response.setStatus(code);
                        if (code >= 300 && code < 400)
                            response.getHeaders().put(HttpHeader.LOCATION, "/redirected");
                    }
                    finally
                    {
                        active.decrementAndGet();
                    }
                    callback.succeeded();
                    return true;
                }
            });
            server.start();
        }

        void hold(CountDownLatch latch, long ms)
        {
            holdMs = ms;
            hold = latch;
        }

        int requests()
        {
            return requests.get();
        }

        String url()
        {
            return "http://127.0.0.1:" + connector.getLocalPort();
        }

        @Override
        public void close() throws Exception
        {
            CountDownLatch latch = hold;
            if (latch != null)
                latch.countDown();
            // let a released handler finish before the connections close under it
            await(() -> active.get() == 0, "held handlers to finish");
            server.stop();
        }
    }
}
