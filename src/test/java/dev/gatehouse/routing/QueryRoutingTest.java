package dev.gatehouse.routing;

import java.util.HashMap;
import java.util.Map;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.http.QueryParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class QueryRoutingTest
{
    @Test
    void readsTheFirstDecodedValueOfAParameter()
    {
        assertEquals("2", QueryParams.first("a=1&region=2&region=3", "region"));
        assertEquals("a b", QueryParams.first("q=a+b", "q"));
        assertEquals("x/y", QueryParams.first("q=x%2Fy", "q"));
        assertEquals("", QueryParams.first("flag&x=1", "flag"));
        assertEquals("v", QueryParams.first("sp%20ace=v", "sp ace"));
        assertNull(QueryParams.first("regionx=1", "region"));
        assertNull(QueryParams.first(null, "region"));
        assertNull(QueryParams.first("", "region"));
        assertEquals("%zz", QueryParams.first("bad=%zz", "bad"), "undecodable values are compared as sent");
    }

    private static Router router(String... keyValues)
    {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
            map.put(keyValues[i], keyValues[i + 1]);
        return new Router(ConfigLoader.fromMap(map));
    }

    @Test
    void routesByQueryParameterOrHeaderForRegions()
    {
        Router router = router("routes", "r1q,r1h,r2q,r2h,default",
            "routes.r1q.match.query.region", "1", "routes.r1q.targets", "http://one",
            "routes.r1h.match.header.x-region", "1", "routes.r1h.targets", "http://one",
            "routes.r2q.match.query.region", "2", "routes.r2q.targets", "http://two",
            "routes.r2h.match.header.X-Region", "2", "routes.r2h.targets", "http://two",
            "routes.default.targets", "http://default");
        Route.HeaderLookup none = name -> null;
        assertEquals("r1q", router.match("h", "/x", none, "region=1").name());
        assertEquals("r2q", router.match("h", "/x", none, "a=b&region=2").name());
        assertEquals("r2h", router.match("h", "/x", name -> name.equals("x-region") ? "2" : null, null).name());
        assertEquals("default", router.match("h", "/x", none, "region=3").name());
        assertEquals("default", router.match("h", "/x", none, null).name());
    }

    @Test
    void queryConditionCombinesWithPath()
    {
        Router router = router("routes", "api", "routes.api.match.path", "/api/", "routes.api.match.query.v", "2",
            "routes.api.targets", "http://v2");
        assertEquals("api", router.match("h", "/api/x", name -> null, "v=2").name());
        assertNull(router.match("h", "/other", name -> null, "v=2"));
        assertNull(router.match("h", "/api/x", name -> null, "v=1"));
    }
}
