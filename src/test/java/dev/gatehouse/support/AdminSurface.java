package dev.gatehouse.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every admin path and its protection, checked the same way embedded (admin listener) and in the
 * WAR (under {@code admin.path-prefix}). Every path answers only clients in {@code admin.acl.allow};
 * on top of that, {@link Protection#TOKEN} paths need {@code admin.token}, and the profiler is off
 * unless {@code admin.profiling=true}.
 */
public final class AdminSurface
{
    public static final String TOKEN = "surface-token";

    public enum Protection
    {
        /** Read-only: the admin ACL is the protection. */
        ACL,
        /** An admin action: the admin ACL and {@code Authorization: Bearer <admin.token>}. */
        TOKEN,
        /** The CPU profiler: 404 unless {@code admin.profiling=true}, then as {@link #TOKEN} with a bounded duration. */
        PROFILER
    }

    public record Endpoint(String method, String path, Protection protection)
    {
    }

    /** The admin surface, relative to the admin root ({@code /} embedded, {@code admin.path-prefix} in the WAR). */
    public static final List<Endpoint> ENDPOINTS = List.of(
        new Endpoint("GET", "health/liveness", Protection.ACL),
        new Endpoint("GET", "health/readiness", Protection.ACL),
        new Endpoint("GET", "health/startup", Protection.ACL),
        new Endpoint("GET", "metrics", Protection.ACL),
        new Endpoint("GET", "", Protection.ACL),
        new Endpoint("GET", "dashboard.json", Protection.ACL),
        new Endpoint("GET", "admin", Protection.ACL),
        new Endpoint("GET", "admin/metrics", Protection.ACL),
        new Endpoint("GET", "admin/ping", Protection.ACL),
        new Endpoint("GET", "admin/threads", Protection.ACL),
        new Endpoint("GET", "admin/healthcheck", Protection.ACL),
        new Endpoint("GET", "admin/cache/stats", Protection.TOKEN),
        new Endpoint("DELETE", "admin/cache", Protection.TOKEN),
        new Endpoint("POST", "admin/reload", Protection.TOKEN),
        new Endpoint("GET", "admin/pprof?duration=1", Protection.PROFILER));

    private static final HttpClient CLIENT = Http.direct();

    private AdminSurface()
    {
    }

    public static HttpResponse<String> send(String root, String method, String path, String token) throws Exception
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null)
            b.header("Authorization", "Bearer " + token);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> r, int status, String code, String what)
    {
        assertEquals(status, r.statusCode(), what + ": " + r.body());
        assertTrue(r.body().startsWith("{\"error\":{\"code\":\"" + code + "\""), what + ": " + r.body());
    }

    /** Checks every endpoint from an allowed client; {@code profiling} as configured. */
    public static void checkAllowedClient(String root, boolean profiling) throws Exception
    {
        for (Endpoint e : ENDPOINTS)
        {
            String what = e.method() + " " + root + e.path();
            switch (e.protection())
            {
                case ACL ->
                    assertEquals(200, send(root, e.method(), e.path(), null).statusCode(), what);
                case TOKEN ->
                {
                    assertError(send(root, e.method(), e.path(), null), 401, "UNAUTHORIZED", what + " without a token");
                    assertError(send(root, e.method(), e.path(), "wrong"), 401, "UNAUTHORIZED", what + " with a wrong token");
                    assertEquals(200, send(root, e.method(), e.path(), TOKEN).statusCode(), what + " with the token");
                }
                case PROFILER ->
                {
                    if (!profiling)
                    {
                        assertError(send(root, e.method(), e.path(), null), 404, "NOT_FOUND", what + " (profiling off)");
                        assertError(send(root, e.method(), e.path(), TOKEN), 404, "NOT_FOUND", what + " (profiling off) with the token");
                        continue;
                    }
                    assertError(send(root, e.method(), e.path(), null), 401, "UNAUTHORIZED", what + " without a token");
                    assertError(send(root, "GET", "admin/pprof?duration=61", TOKEN), 400, "BAD_REQUEST", "a 61 s profile");
                    assertError(send(root, "GET", "admin/pprof?duration=100000", TOKEN), 400, "BAD_REQUEST", "an unbounded profile");
                    assertError(send(root, "GET", "admin/pprof?duration=x", TOKEN), 400, "BAD_REQUEST", "a profile of x seconds");
                    HttpResponse<String> profile = send(root, e.method(), e.path(), TOKEN);
                    assertEquals(200, profile.statusCode(), what + " with the token");
                    assertEquals("pprof/raw", profile.headers().firstValue("Content-Type").orElse(""), what);
                }
            }
        }
        String menu = send(root, "GET", "admin", null).body();
        if (profiling)
            assertTrue(menu.contains("pprof"), "the /admin menu links the profiler when it is on");
        else
            assertFalse(menu.contains("pprof"), "the /admin menu does not link a profiler that is off: " + menu);
    }

    /** Checks that a client outside {@code admin.acl.allow} gets 403 ACL_DENIED on every endpoint, with or without the token. */
    public static void checkDeniedClient(String root) throws Exception
    {
        for (Endpoint e : ENDPOINTS)
        {
            assertError(send(root, e.method(), e.path(), null), 403, "ACL_DENIED", e.method() + " " + e.path());
            assertError(send(root, e.method(), e.path(), TOKEN), 403, "ACL_DENIED", e.method() + " " + e.path() + " with the token");
        }
    }
}
