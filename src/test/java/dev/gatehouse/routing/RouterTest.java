package dev.gatehouse.routing;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Choosing a route among several: case-insensitive hosts, configured order, first match wins. */
class RouterTest
{
    private static final Route.HeaderLookup NO_HEADERS = name -> null;

    private static Router router(String... kv)
    {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            m.put(kv[i], kv[i + 1]);
        return new Router(ConfigLoader.fromMap(m));
    }

    private static String name(Route route)
    {
        return route == null ? null : route.name();
    }

    @Test
    void noRoutesMatchesNothing()
    {
        Router router = router();
        assertNull(router.match("example.com", "/", NO_HEADERS));
    }

    @Test
    void routerKeepsItsConfig()
    {
        GatehouseConfig config = GatehouseConfig.defaults();
        assertSame(config, new Router(config).config());
    }

    @Test
    void hostMatchingIsCaseInsensitive()
    {
        Router router = router("routes", "exact,wild",
            "routes.exact.targets", "http://e", "routes.exact.match.host", "API.Example.com",
            "routes.wild.targets", "http://w", "routes.wild.match.host", "*.Example.ORG");
        assertEquals("exact", name(router.match("api.example.com", "/", NO_HEADERS)));
        assertEquals("exact", name(router.match("API.EXAMPLE.COM", "/", NO_HEADERS)));
        assertEquals("wild", name(router.match("Www.example.org", "/", NO_HEADERS)));
        assertNull(router.match("EXAMPLE.ORG", "/", NO_HEADERS));
    }

    @Test
    void nullHostMatchesOnlyRoutesWithoutHostCondition()
    {
        Router router = router("routes", "hosted,any",
            "routes.hosted.targets", "http://h", "routes.hosted.match.host", "a.example.com",
            "routes.any.targets", "http://a");
        assertEquals("any", name(router.match(null, "/", NO_HEADERS)));
    }

    @Test
    void firstMatchWinsInConfiguredOrder()
    {
        Router router = router("routes", "specific, general",
            "routes.general.targets", "http://g", "routes.general.match.path", "/",
            "routes.specific.targets", "http://s", "routes.specific.match.path", "/api/");
        assertEquals("specific", name(router.match("h", "/api/x", NO_HEADERS)));
        assertEquals("general", name(router.match("h", "/web", NO_HEADERS)));
    }

    @Test
    void earlierGeneralRouteShadowsLaterSpecificOne()
    {
        Router router = router("routes", "general, specific",
            "routes.specific.targets", "http://s", "routes.specific.match.path", "/api/",
            "routes.general.targets", "http://g", "routes.general.match.path", "/");
        assertEquals("general", name(router.match("h", "/api/x", NO_HEADERS)));
    }

    @Test
    void fallsThroughToNextRouteWhenAConditionFails()
    {
        Router router = router("routes", "tenant, api",
            "routes.tenant.targets", "http://t", "routes.tenant.match.path", "/api",
            "routes.tenant.match.header.x-tenant", "acme",
            "routes.api.targets", "http://a", "routes.api.match.path", "/api");
        Route.HeaderLookup acme = n -> n.equals("x-tenant") ? "acme" : null;
        assertEquals("tenant", name(router.match("h", "/api/x", acme)));
        assertEquals("api", name(router.match("h", "/api/x", NO_HEADERS)));
        assertNull(router.match("h", "/apix", acme));
    }

    @Test
    void pathIsMatchedRawAndCaseSensitive()
    {
        Router router = router("routes", "api", "routes.api.targets", "http://a", "routes.api.match.path", "/api/");
        assertEquals("api", name(router.match("h", "/api/a%2Fb", NO_HEADERS)));
        assertNull(router.match("h", "/API/x", NO_HEADERS));
        assertNull(router.match("h", "/%61pi/x", NO_HEADERS));
    }

    @Test
    void matchedRouteBuildsTargetUrl()
    {
        Router router = router("routes", "api", "routes.api.targets", "http://backend:8081/base",
            "routes.api.match.path", "/api/", "routes.api.strip-prefix", "true");
        Route route = router.match("h", "/api/items%2F1", NO_HEADERS);
        assertEquals("http://backend:8081/base/items%2F1?sort=a%20b", route.target(route.config().targets().get(0).toString(), "/api/items%2F1", "sort=a%20b"));
    }
}
