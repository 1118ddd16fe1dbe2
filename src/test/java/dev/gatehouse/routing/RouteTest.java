package dev.gatehouse.routing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.RouteConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals("http://backend:8081/api/x?a=1", target(r, "/api/x", "a=1"));
        assertEquals("http://backend:8081/", target(r, "/", null));
    }

    @Test
    void targetKeepsTargetBasePath()
    {
        Route r = route("targets", "https://backend/base/");
        assertEquals("https://backend/base/api/x", target(r, "/api/x", null));
        assertEquals("https://backend/base/", target(r, "/", null));
    }

    @Test
    void targetKeepsRawQueryAndEncodedPathUnchanged()
    {
        Route r = route("targets", "http://t/b");
        assertEquals("http://t/b/a%2Fb/c%20d?q=%2F%20x&y=a+b&z", target(r, "/a%2Fb/c%20d", "q=%2F%20x&y=a+b&z"));
        assertEquals("http://t/b/x?", target(r, "/x", ""));
    }

    @Test
    void stripPrefixRemovesSlashedPrefixKeepingLeadingSlash()
    {
        Route r = route("targets", "http://t", "match.path", "/api/", "strip-prefix", "true");
        assertEquals("http://t/users/7", target(r, "/api/users/7", null));
        assertEquals("http://t/", target(r, "/api/", null));
    }

    @Test
    void stripPrefixWithoutSlashTurnsBarePrefixIntoRoot()
    {
        Route r = route("targets", "http://t", "match.path", "/api", "strip-prefix", "true");
        assertEquals("http://t/", target(r, "/api", null));
        assertEquals("http://t/", target(r, "/api/", null));
        assertEquals("http://t/x", target(r, "/api/x", null));
        assertEquals("http://t/?a=b", target(r, "/api", "a=b"));
    }

    @Test
    void stripPrefixOntoTargetBasePathKeepsEncoding()
    {
        Route r = route("targets", "http://t:9000/v2", "match.path", "/api/", "strip-prefix", "true");
        assertEquals("http://t:9000/v2/a%2Fb?x=%26", target(r, "/api/a%2Fb", "x=%26"));
    }

    @Test
    void withoutStripPrefixTheMatchedPathIsForwardedWhole()
    {
        Route r = route("targets", "http://t", "match.path", "/api/");
        assertEquals("http://t/api/x", target(r, "/api/x", null));
    }

    /** The URL on the route's first target (balancing is the upstream pool's job, tested there). */
    private static String target(Route r, String rawPath, String rawQuery)
    {
        return r.target(r.config().targets().get(0).toString(), rawPath, rawQuery);
    }
}
