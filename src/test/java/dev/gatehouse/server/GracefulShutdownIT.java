package dev.gatehouse.server;

import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GracefulShutdownIT
{
    /** A request to the slow origin through the proxy, on another thread. */
    static CompletableFuture<HttpResponse<String>> slowRequest(int port, int millis)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return Http.get(Http.direct(), "http://127.0.0.1:" + port + "/slow?ms=" + millis);
            }
            catch (Exception x)
            {
                throw new RuntimeException(x);
            }
        });
    }

    @Test
    void inFlightRequestCompletesDuringStop() throws Exception
    {
        try (Origin origin = new Origin("slow"))
        {
            Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "shutdown.grace", "120s");
            int port = proxy.port();
            CompletableFuture<HttpResponse<String>> inFlight = slowRequest(port, 1500);
            // Wait until the request has reached the origin, then stop the proxy under it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (origin.requests() == 0 && System.nanoTime() < deadline)
                Poll.pause();
            assertEquals(1, origin.requests());
            long start = System.nanoTime();
            proxy.close();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("slow", response.body());
            assertTrue(stopMillis < 60_000, "stop waited for the request, not for the whole grace period: " + stopMillis + "ms");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "no longer accepting");
        }
    }

    @Test
    void readinessAnswers503OnTheAdminPortWhileTheProxyDrains() throws Exception
    {
        try (Origin origin = new Origin("slow"))
        {
            Gatehouse proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "shutdown.grace", "10s");
            int port = proxy.port();
            int adminPort = proxy.adminPort();
            String readiness = proxy.adminUrl() + "/health/readiness";
            CompletableFuture<HttpResponse<String>> inFlight = slowRequest(port, 3000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (origin.requests() == 0 && System.nanoTime() < deadline)
                Poll.pause();
            long start = System.nanoTime();
            CompletableFuture<Void> stop = proxy.stopAsync();
            // poll readiness on the admin port until the drain shows there
            HttpResponse<String> draining = null;
            while (System.nanoTime() < deadline && !stop.isDone())
            {
                draining = Http.get(Http.direct(), readiness);
                if (draining.statusCode() == 503)
                    break;
            }
            long seenMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(draining != null && draining.statusCode() == 503, "readiness during the drain: "
                + (draining == null ? "none" : draining.statusCode() + " " + draining.body()));
            assertEquals("application/json", draining.headers().firstValue("Content-Type").orElse(""));
            assertTrue(draining.body().startsWith("{\"status\":\"DOWN\""), draining.body());
            assertTrue(!inFlight.isDone(), "the drain was still under way");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the proxy listener no longer accepts");
            RawHttp.Reply fresh = RawHttp.exchange(adminPort, "GET /health/readiness HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertEquals(503, fresh.status(), "a new connection to the admin listener is accepted during the drain");
            assertTrue(fresh.body().startsWith("{\"status\":\"DOWN\""), fresh.body());

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("slow", response.body());
            stop.get(10, TimeUnit.SECONDS);
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("readiness 503 seen " + seenMillis + " ms into the stop; stop took " + stopMillis + " ms");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", adminPort).close(), "admin gone after the stop");
        }
    }

    @Test
    void readinessReportsUpThenStartupAndLivenessToo() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            for (String probe : new String[]{"liveness", "readiness", "startup"})
            {
                HttpResponse<String> response = Http.get(Http.direct(), proxy.adminUrl() + "/health/" + probe);
                assertEquals(200, response.statusCode(), probe);
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                assertTrue(response.body().startsWith("{\"status\":\"UP\""), response.body());
            }
            proxy.server().application().health().stopping();
            HttpResponse<String> draining = Http.get(Http.direct(), proxy.adminUrl() + "/health/readiness");
            assertEquals(503, draining.statusCode());
            assertTrue(draining.body().contains("\"status\":\"DOWN\""), draining.body());
            assertEquals(200, Http.get(Http.direct(), proxy.adminUrl() + "/health/liveness").statusCode());
        }
    }

    @Test
    void adminListenerIsSeparateFromTheProxyListener() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            HttpResponse<String> onProxy = Http.get(Http.direct(), proxy.url() + "/health/readiness");
            assertEquals(404, onProxy.statusCode(), "health lives on the admin listener only");
            HttpResponse<String> unknown = Http.get(Http.direct(), proxy.adminUrl() + "/nothing-here");
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("\"code\":\"NOT_FOUND\""), unknown.body());
        }
    }
}
