package dev.gatehouse.policy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client identity, ACLs, rate limits and proxy authentication through the running proxy. */
class AccessPolicyIT
{
    static Origin origin;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("acl");
    }

    @AfterAll
    static void stop() throws Exception
    {
        origin.close();
    }

    private static RawHttp.Reply forward(Gatehouse proxy, String... headers) throws Exception
    {
        StringBuilder b = new StringBuilder("GET " + origin.url() + "/echo HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n");
        for (String h : headers)
            b.append(h).append("\r\n");
        return RawHttp.exchange(proxy.port(), b.append("Connection: close\r\n\r\n").toString());
    }

    private static RawHttp.Reply reverse(Gatehouse proxy, String path, String... headers) throws Exception
    {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n");
        for (String h : headers)
            b.append(h).append("\r\n");
        return RawHttp.exchange(proxy.port(), b.append("Connection: close\r\n\r\n").toString());
    }

    private static void assertError(RawHttp.Reply reply, int status, String code)
    {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"code\":\"" + code + "\""), reply.body());
    }

    @Test
    void publicClientMayNotForwardByDefaultButIsServedByReverseRoutes() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("trust.proxies", "127.0.0.1", "routes", "app", "routes.app.match.host", "app.test",
            "routes.app.targets", origin.url()); SecurityEvents events = new SecurityEvents())
        {
            String publicClient = "X-Forwarded-For: 203.0.113.7";
            assertError(forward(proxy, publicClient), 403, "ACL_DENIED");
            assertEquals(1, events.withReason("acl").size(), events.lines().toString());
            assertTrue(events.withReason("acl").get(0).contains("client=203.0.113.7"), events.lines().toString());
            assertEquals(200, reverse(proxy, "/echo", publicClient).status());
            assertEquals(200, forward(proxy, "X-Forwarded-For: 10.1.2.3").status(), "a private client may forward");
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerCannotChangeTheClientAddress() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("acl.deny", "10.0.0.0/8"))
        {
            assertEquals(200, forward(proxy, "X-Forwarded-For: 10.9.9.9").status(), "the peer 127.0.0.1 is the client");
        }
        try (Gatehouse proxy = Gatehouse.start("acl.deny", "10.0.0.0/8", "trust.proxies", "127.0.0.0/8"))
        {
            assertError(forward(proxy, "X-Forwarded-For: 10.9.9.9"), 403, "ACL_DENIED");
            assertError(forward(proxy, "X-Forwarded-For: 10.9.9.9, 127.0.0.5"), 403, "ACL_DENIED");
        }
    }

    @Test
    void explicitAllowListGuardsReverseRoutesAndRouteAclsOverride() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("acl.allow", "10.0.0.0/8", "routes", "open,app",
            "routes.open.match.path", "/open/", "routes.open.acl.allow", "loopback", "routes.open.targets", origin.url(),
            "routes.app.targets", origin.url()))
        {
            assertError(reverse(proxy, "/echo"), 403, "ACL_DENIED");
            assertEquals(200, reverse(proxy, "/open/echo").status(), "the route's own allow list replaces acl.allow");
        }
        try (Gatehouse proxy = Gatehouse.start("routes", "closed,app", "routes.closed.match.path", "/closed/",
            "routes.closed.acl.deny", "127.0.0.1", "routes.closed.targets", origin.url(), "routes.app.targets", origin.url()))
        {
            assertError(reverse(proxy, "/closed/echo"), 403, "ACL_DENIED");
            assertEquals(200, reverse(proxy, "/echo").status());
        }
    }

    @Test
    void tunnelsFollowTheSameAcl() throws Exception
    {
        String authority = "127.0.0.1:" + origin.port();
        String connect = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
        try (Gatehouse proxy = Gatehouse.start("acl.deny", "127.0.0.1", "connect.allowed-ports", Integer.toString(origin.port())))
        {
            assertError(RawHttp.exchange(proxy.port(), connect), 403, "ACL_DENIED");
        }
        try (Gatehouse proxy = Gatehouse.start("trust.proxies", "127.0.0.1", "connect.allowed-ports", Integer.toString(origin.port())))
        {
            String fromPublic = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nX-Forwarded-For: 198.51.100.4\r\n\r\n";
            assertError(RawHttp.exchange(proxy.port(), fromPublic), 403, "ACL_DENIED");
        }
    }

    @Test
    void rateLimitAnswers429WithRetryAfterAndRateLimitHeaders() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("ratelimit.requests-per-second", "0.001", "ratelimit.burst", "2",
            "routes", "app", "routes.app.targets", origin.url()))
        {
            RawHttp.Reply first = reverse(proxy, "/echo");
            assertEquals(200, first.status());
            assertEquals("2", first.header("RateLimit-Limit"));
            assertEquals("1", first.header("RateLimit-Remaining"));
            assertNotNull(first.header("RateLimit-Reset"));
            assertEquals(200, reverse(proxy, "/echo").status());
            RawHttp.Reply limited = reverse(proxy, "/echo");
            assertError(limited, 429, "RATE_LIMITED");
            assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1, limited.headers().toString());
            assertEquals("0", limited.header("RateLimit-Remaining"));
            assertEquals("nosniff", limited.header("X-Content-Type-Options"), "refusals carry the security headers");
        }
    }

    @Test
    void perRouteRateLimitHasItsOwnBuckets() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("routes", "tight,app", "routes.tight.match.path", "/tight/",
            "routes.tight.ratelimit.requests-per-second", "0.001", "routes.tight.targets", origin.url(), "routes.app.targets", origin.url()))
        {
            assertEquals(200, reverse(proxy, "/tight/echo").status());
            assertError(reverse(proxy, "/tight/echo"), 429, "RATE_LIMITED");
            RawHttp.Reply other = reverse(proxy, "/echo");
            assertEquals(200, other.status());
            assertNull(other.header("RateLimit-Limit"), "an unlimited route sends no RateLimit headers");
        }
    }

    @Test
    void rateLimitsByApiKeyWithTiersFromAReloadedKeysFile(@TempDir Path dir) throws Exception
    {
        Path keys = dir.resolve("keys");
        Files.writeString(keys, "gold-key 0.001 3\n");
        try (Gatehouse proxy = Gatehouse.start("ratelimit.requests-per-second", "0.001", "ratelimit.burst", "1",
            "ratelimit.key", "header:X-API-Key", "ratelimit.keys-file", keys.toString(), "reload.interval", "100ms",
            "routes", "app", "routes.app.targets", origin.url()); SecurityEvents events = new SecurityEvents())
        {
            for (int i = 0; i < 3; i++)
                assertEquals(200, reverse(proxy, "/echo", "X-API-Key: gold-key").status(), "gold tier: burst 3");
            assertError(reverse(proxy, "/echo", "X-API-Key: gold-key"), 429, "RATE_LIMITED");
            assertEquals(200, reverse(proxy, "/echo", "X-API-Key: other-key").status(), "each key has its own bucket");
            assertError(reverse(proxy, "/echo", "X-API-Key: other-key"), 429, "RATE_LIMITED");
            assertEquals(200, reverse(proxy, "/echo").status(), "without a key: the client address bucket");
            String logged = events.withReason("rate-limit").toString();
            assertTrue(logged.contains("header:sha256:"), logged);
            assertTrue(!logged.contains("gold-key") && !logged.contains("other-key"), "keys are never logged in clear: " + logged);

            WatchedFiles.replace(keys, "gold-key 0.001 3\nother-key 1 50\n", 2000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int status = 429;
            while (status != 200 && System.nanoTime() < deadline)
                status = reverse(proxy, "/echo", "X-API-Key: other-key").status();
            assertEquals(200, status, "the new tier applies without a restart");
        }
    }

    @Test
    void proxyAuthenticationGuardsForwardingAndTunnels(@TempDir Path dir) throws Exception
    {
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("s3cret".getBytes(StandardCharsets.UTF_8)));
        Path users = dir.resolve("users");
        Files.writeString(users, "# proxy users\nalice:{SHA256}" + digest + "\n");
        try (Gatehouse proxy = Gatehouse.start("auth.users-file", users.toString(), "auth.realm", "corp",
            "connect.allowed-ports", Integer.toString(origin.port())))
        {
            RawHttp.Reply missing = forward(proxy);
            assertError(missing, 407, "PROXY_AUTH_REQUIRED");
            assertTrue(missing.header("Proxy-Authenticate").startsWith("Basic realm=\"corp\""), missing.headers().toString());
            String wrong = "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString("alice:nope".getBytes(StandardCharsets.UTF_8));
            assertError(forward(proxy, wrong), 407, "PROXY_AUTH_REQUIRED");
            String right = "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            RawHttp.Reply ok = forward(proxy, right);
            assertEquals(200, ok.status(), ok.body());
            assertNull(Http.echoed(ok.body(), "proxy-authorization"), "credentials are never forwarded");
            String authority = "127.0.0.1:" + origin.port();
            RawHttp.Reply tunnel = RawHttp.exchange(proxy.port(), "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertError(tunnel, 407, "PROXY_AUTH_REQUIRED");
            assertNotNull(tunnel.header("Proxy-Authenticate"));
        }
    }

    @Test
    void adminEndpointsAnswerOnlyTheAdminAclAndReloadNeedsTheToken(@TempDir Path dir) throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("admin.acl.allow", "10.0.0.0/8"))
        {
            HttpResponse<String> denied = Http.get(Http.direct(), proxy.adminUrl() + "/health/readiness");
            assertEquals(403, denied.statusCode());
            assertTrue(denied.body().contains("ACL_DENIED"));
        }
        try (Gatehouse proxy = Gatehouse.start())
        {
            HttpResponse<String> disabled = Http.direct().send(HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/admin/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, disabled.statusCode(), "no token configured: disabled, not open");
        }
        try (Gatehouse proxy = Gatehouse.start("admin.token", "t0ken-123"))
        {
            HttpRequest.Builder reload = HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/admin/reload"))
                .POST(HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> wrong = Http.direct().send(reload.copy().header("Authorization", "Bearer nope").build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            HttpResponse<String> ok = Http.direct().send(reload.copy().header("Authorization", "Bearer t0ken-123").build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"status\":\"reloaded\""), ok.body());
        }
    }
}
