package dev.gatehouse.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.RouteConfig;
import org.junit.jupiter.api.Test;

/** One route on its own: its conditions and the upstream URL it builds. */
class RouteTest
{
    private static final Route.HeaderLookup NO_HEADERS = name -> null;

    /** A route named "r" from per-route key/value pairs, e.g. {@code "targets", "http://t"}. */
    static Route route(String... kv)
    {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("routes", "r");
        for (int i = 0; i < kv.length; i += 2)
            m.put("routes.r." + kv[i], kv[i + 1]);
        RouteConfig config = ConfigLoader.fromMap(m).routes().get(0);
        return new Route(config);
    }

    private static Route.HeaderLookup headers(String... kv)
    {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            m.put(kv[i], kv[i + 1]);
        return m::get;
    }

    @Test
    void routeWithoutConditionsMatchesEverything()
    {
        Route r = route("targets", "http://t");
        assertTrue(r.matches("any.host", "/any/path", NO_HEADERS));
        assertTrue(r.matches(null, "/", NO_HEADERS));
        assertEquals("r", r.name());
    }

    @Test
    void exactHostMatchesOnlyThatHost()
    {
        Route r = route("targets", "http://t", "match.host", "api.example.com");
        assertTrue(r.matches("api.example.com", "/", NO_HEADERS));
        assertFalse(r.matches("www.example.com", "/", NO_HEADERS));
        assertFalse(r.matches("x.api.example.com", "/", NO_HEADERS));
        assertFalse(r.matches(null, "/", NO_HEADERS));
    }

    @Test
    void wildcardHostMatchesSubdomainButNotApex()
    {
        Route r = route("targets", "http://t", "match.host", "*.example.com");
        assertTrue(r.matches("a.example.com", "/", NO_HEADERS));
        assertTrue(r.matches("a.b.example.com", "/", NO_HEADERS));
        assertFalse(r.matches("example.com", "/", NO_HEADERS));
        assertFalse(r.matches(".example.com", "/", NO_HEADERS));
        assertFalse(r.matches("badexample.com", "/", NO_HEADERS));
        assertFalse(r.matches("a.example.org", "/", NO_HEADERS));
        assertFalse(r.matches(null, "/", NO_HEADERS));
    }

    @Test
    void pathPrefixWithTrailingSlashNeedsTheSlash()
    {
        assertTrue(Route.pathMatches("/api/", "/api/"));
        assertTrue(Route.pathMatches("/api/", "/api/x"));
        assertFalse(Route.pathMatches("/api/", "/api"));
        assertFalse(Route.pathMatches("/api/", "/apix"));
    }

    @Test
    void pathPrefixWithoutTrailingSlashStopsAtSegmentBoundary()
    {
        assertTrue(Route.pathMatches("/api", "/api"));
        assertTrue(Route.pathMatches("/api", "/api/"));
        assertTrue(Route.pathMatches("/api", "/api/x"));
        assertFalse(Route.pathMatches("/api", "/apix"));
        assertFalse(Route.pathMatches("/api", "/ap"));
        assertFalse(Route.pathMatches("/api", "/API"));
    }

    @Test
    void rootPrefixMatchesEveryPath()
    {
        assertTrue(Route.pathMatches("/", "/"));
        assertTrue(Route.pathMatches("/", "/anything"));
    }

    @Test
    void headerConditionNeedsExactValue()
    {
        Route r = route("targets", "http://t", "match.header.X-Tenant", "acme");
        assertTrue(r.matches("h", "/", headers("x-tenant", "acme")));
        assertFalse(r.matches("h", "/", headers("x-tenant", "Acme")));
        assertFalse(r.matches("h", "/", headers("x-tenant", "acme2")));
        assertFalse(r.matches("h", "/", NO_HEADERS));
    }

    @Test
    void allConditionsMustHold()
    {
        Route r = route("targets", "http://t", "match.host", "*.example.com", "match.path", "/api/",
            "match.header.x-env", "prod", "match.header.x-tenant", "acme");
        Route.HeaderLookup both = headers("x-env", "prod", "x-tenant", "acme");
        assertTrue(r.matches("a.example.com", "/api/v1", both));
        assertFalse(r.matches("example.com", "/api/v1", both));
        assertFalse(r.matches("a.example.com", "/web/", both));
        assertFalse(r.matches("a.example.com", "/api/v1", headers("x-env", "prod")));
        assertFalse(r.matches("a.example.com", "/api/v1", headers("x-tenant", "acme")));
    }

    @Test
    void targetAppendsPathAndQueryToTargetBase()
    {
        Route r = route("targets", "http://backend:8081");
        assertEquals("http://backend:8081/api/x?a=1", r.target("/api/x", "a=1"));
        assertEquals("http://backend:8081/", r.target("/", null));
    }

    @Test
    void targetKeepsTargetBasePath()
    {
        Route r = route("targets", "https://backend/base/");
        assertEquals("https://backend/base/api/x", r.target("/api/x", null));
        assertEquals("https://backend/base/", r.target("/", null));
    }

    @Test
    void targetKeepsRawQueryAndEncodedPathUnchanged()
    {
        Route r = route("targets", "http://t/b");
        assertEquals("http://t/b/a%2Fb/c%20d?q=%2F%20x&y=a+b&z", r.target("/a%2Fb/c%20d", "q=%2F%20x&y=a+b&z"));
        assertEquals("http://t/b/x?", r.target("/x", ""));
    }

    @Test
    void stripPrefixRemovesSlashedPrefixKeepingLeadingSlash()
    {
        Route r = route("targets", "http://t", "match.path", "/api/", "strip-prefix", "true");
        assertEquals("http://t/users/7", r.target("/api/users/7", null));
        assertEquals("http://t/", r.target("/api/", null));
    }

    @Test
    void stripPrefixWithoutSlashTurnsBarePrefixIntoRoot()
    {
        Route r = route("targets", "http://t", "match.path", "/api", "strip-prefix", "true");
        assertEquals("http://t/", r.target("/api", null));
        assertEquals("http://t/", r.target("/api/", null));
        assertEquals("http://t/x", r.target("/api/x", null));
        assertEquals("http://t/?a=b", r.target("/api", "a=b"));
    }

    @Test
    void stripPrefixOntoTargetBasePathKeepsEncoding()
    {
        Route r = route("targets", "http://t:9000/v2", "match.path", "/api/", "strip-prefix", "true");
        assertEquals("http://t:9000/v2/a%2Fb?x=%26", r.target("/api/a%2Fb", "x=%26"));
    }

    @Test
    void withoutStripPrefixTheMatchedPathIsForwardedWhole()
    {
        Route r = route("targets", "http://t", "match.path", "/api/");
        assertEquals("http://t/api/x", r.target("/api/x", null));
    }

    @Test
    void roundRobinCyclesThroughTargetsInOrder()
    {
        Route r = route("targets", "http://a, http://b, http://c");
        List<String> seen = List.of(r.target("/", null), r.target("/", null), r.target("/", null),
            r.target("/", null), r.target("/", null), r.target("/", null));
        assertEquals(List.of("http://a/", "http://b/", "http://c/", "http://a/", "http://b/", "http://c/"), seen);
    }

    @Test
    void roundRobinSpreadsRequestsEvenly()
    {
        Route r = route("targets", "http://a, http://b, http://c, http://d");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1000; i++)
            counts.merge(r.target("/x", null), 1, Integer::sum);
        assertEquals(Map.of("http://a/x", 250, "http://b/x", 250, "http://c/x", 250, "http://d/x", 250), counts);
    }

    @Test
    void singleTargetIsAlwaysChosen()
    {
        Route r = route("targets", "http://only");
        for (int i = 0; i < 5; i++)
            assertEquals("http://only/p", r.target("/p", null));
    }
}
