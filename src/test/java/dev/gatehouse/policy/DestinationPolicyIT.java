package dev.gatehouse.policy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.support.EchoServer;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import dev.gatehouse.support.SecurityEvents;
import dev.gatehouse.support.WatchedFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Domain lists (with hot reload), the SSRF guard and content-type blocking through the running proxy. */
class DestinationPolicyIT
{
    static Origin origin;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("dest");
    }

    @AfterAll
    static void stop() throws Exception
    {
        origin.close();
    }

    /** An absolute-URI request for {@code host} that the proxy sends to the origin's port. */
    private static RawHttp.Reply forward(Gatehouse proxy, String host, String path) throws Exception
    {
        return RawHttp.forward(proxy.port(), host + ":" + origin.port(), path);
    }

    private static void assertError(RawHttp.Reply reply, int status, String code)
    {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"code\":\"" + code + "\""), reply.body());
    }

    @Test
    void blockedDomainsGet403WithTheConfiguredMessage() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("filter.blocked", "*.blocked.test,exact.test", "filter.message", "Not on company time"))
        {
            RawHttp.Reply sub = forward(proxy, "a.b.blocked.test", "/");
            assertError(sub, 403, "DOMAIN_BLOCKED");
            assertTrue(sub.body().contains("Not on company time"), sub.body());
            assertError(forward(proxy, "EXACT.test.", "/"), 403, "DOMAIN_BLOCKED");
            String authority = "exact.test:443";
            RawHttp.Reply tunnel = RawHttp.exchange(proxy.port(), "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertError(tunnel, 403, "DOMAIN_BLOCKED");
            // the apex of a wildcard is not blocked: it gets as far as DNS (and fails there, 502)
            assertEquals(502, forward(proxy, "blocked.test", "/").status());
        }
    }

    @Test
    void allowlistModeAdmitsOnlyListedDestinations() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("filter.mode", "allowlist", "filter.allowed", "127.0.0.1"))
        {
            assertEquals(200, forward(proxy, "127.0.0.1", "/echo").status());
            assertError(forward(proxy, "localhost", "/echo"), 403, "DOMAIN_BLOCKED");
        }
    }

    @Test
    void blocklistFileIsReloadedWhenItChangesAndABadFileKeepsTheOldList(@TempDir Path dir) throws Exception
    {
        Path list = dir.resolve("blocked.txt");
        Files.writeString(list, "# nothing blocked yet\nother.test\n");
        try (Gatehouse proxy = Gatehouse.start("filter.blocked-file", list.toString(), "reload.interval", "100ms",
            "filter.allowed", "", "admin.token", "tok"))
        {
            assertEquals(200, forward(proxy, "localhost", "/echo").status());
            WatchedFiles.replace(list, "other.test\nlocalhost\n", 2000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status = 200;
            while (status != 403 && System.nanoTime() < deadline)
                status = forward(proxy, "localhost", "/echo").status();
            assertEquals(403, status, "the changed list took effect without a restart");

            WatchedFiles.replace(list, "localhost\nbad..entry..\n", 4000);
            HttpResponse<String> reload = Http.direct().send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/admin/reload"))
                .header("Authorization", "Bearer tok").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(422, reload.statusCode(), reload.body());
            assertTrue(reload.body().contains("CONFIG_INVALID") && reload.body().contains("filter.blocked-file"), reload.body());
            assertError(forward(proxy, "localhost", "/echo"), 403, "DOMAIN_BLOCKED");
            assertEquals(200, forward(proxy, "127.0.0.1", "/echo").status(), "the previous list is still the one in force");
        }
    }

    @Test
    void reloadsUnderTrafficDropNoRequest(@TempDir Path dir) throws Exception
    {
        Path list = dir.resolve("blocked.txt");
        Files.writeString(list, "one.test\n");
        try (Gatehouse proxy = Gatehouse.start("filter.blocked-file", list.toString(), "admin.token", "tok",
            "routes", "app", "routes.app.targets", origin.url()))
        {
            AtomicInteger failures = new AtomicInteger();
            AtomicInteger served = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 2; t++)
            {
                Thread client = new Thread(() ->
                {
                    for (int i = 0; i < 2000 && !stop.get(); i++)
                    {
                        try
                        {
                            int status = RawHttp.exchange(proxy.port(), "GET /echo HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n").status();
                            if (status != 200)
                                failures.incrementAndGet();
                            served.incrementAndGet();
                        }
                        catch (IOException x)
                        {
                            failures.incrementAndGet();
                        }
                    }
                });
                client.start();
                clients.add(client);
            }
            HttpRequest reload = HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/admin/reload"))
                .header("Authorization", "Bearer tok").POST(HttpRequest.BodyPublishers.noBody()).build();
            for (int r = 0; r < 10; r++)
            {
                Files.writeString(list, "one.test\nother" + r + ".test\n");
                assertEquals(200, Http.direct().send(reload, HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            stop.set(true);
            for (Thread client : clients)
                client.join(30_000);
            assertTrue(served.get() > 0);
            assertEquals(0, failures.get(), "no request failed while the configuration was swapped 10 times during " + served.get() + " requests");
        }
    }

    @Test
    void ssrfGuardRefusesInternalDestinationsAfterResolution() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("ssrf.allow", ""); SecurityEvents events = new SecurityEvents();
             EchoServer echo = new EchoServer())
        {
            int before = origin.requests();
            assertError(forward(proxy, "127.0.0.1", "/echo"), 403, "DESTINATION_FORBIDDEN");
            assertError(forward(proxy, "localhost", "/echo"), 403, "DESTINATION_FORBIDDEN");
            assertError(forward(proxy, "2130706433", "/echo"), 403, "DESTINATION_FORBIDDEN");
            assertError(forward(proxy, "0x7f.1", "/echo"), 403, "DESTINATION_FORBIDDEN");
            assertError(forward(proxy, "[::1]", "/echo"), 403, "DESTINATION_FORBIDDEN");
            assertEquals(before, origin.requests(), "nothing reached the internal destination");
            assertTrue(events.withReason("ssrf").size() >= 5, events.lines().toString());
            try (Gatehouse tunnels = Gatehouse.start("ssrf.allow", "", "connect.allowed-ports", Integer.toString(echo.port())))
            {
                String authority = "localhost:" + echo.port();
                assertError(RawHttp.exchange(tunnels.port(), "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n"),
                    403, "DESTINATION_FORBIDDEN");
            }
        }
    }

    @Test
    void ssrfAllowListLetsAnOperatorReachLocalDestinations() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("ssrf.allow", "127.0.0.1"))
        {
            assertEquals(200, forward(proxy, "localhost", "/echo").status());
        }
        try (Gatehouse proxy = Gatehouse.start("ssrf.allow", "localhost"))
        {
            assertEquals(200, forward(proxy, "localhost", "/echo").status());
        }
    }

    @Test
    void routeTargetsAreTrustedEvenWhenTheyAreLoopback() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("ssrf.allow", "", "routes", "app", "routes.app.targets", origin.url()))
        {
            assertEquals(200, RawHttp.exchange(proxy.port(), "GET /echo HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n").status());
        }
    }

    @Test
    void reverseHostIsCheckedOnlyWhenConfigured() throws Exception
    {
        String request = "GET /echo HTTP/1.1\r\nHost: shop.example.test\r\nConnection: close\r\n\r\n";
        try (Gatehouse proxy = Gatehouse.start("filter.blocked", "*.example.test", "routes", "app", "routes.app.targets", origin.url()))
        {
            assertEquals(200, RawHttp.exchange(proxy.port(), request).status(), "reverse Host is not filtered by default");
        }
        try (Gatehouse proxy = Gatehouse.start("filter.blocked", "*.example.test", "filter.reverse-host", "true",
            "routes", "app", "routes.app.targets", origin.url()))
        {
            assertError(RawHttp.exchange(proxy.port(), request), 403, "DOMAIN_BLOCKED");
        }
    }

    @Test
    void blockedContentTypeIsReplacedBeforeAnyBodyByte() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("filter.blocked-content-types", "application/x-msdownload,application/x-sh.*"))
        {
            RawHttp.Reply blocked = forward(proxy, "127.0.0.1", "/typed?ct=application/x-msdownload;name=x");
            assertError(blocked, 403, "CONTENT_TYPE_BLOCKED");
            assertTrue(!blocked.body().contains("typed body"), blocked.body());
            assertError(forward(proxy, "127.0.0.1", "/typed?ct=application/x-shellscript"), 403, "CONTENT_TYPE_BLOCKED");
            assertEquals(200, forward(proxy, "127.0.0.1", "/typed?ct=text/plain").status());
        }
    }
}
