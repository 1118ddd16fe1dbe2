package dev.gatehouse.proxy;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReverseProxyIT
{
    static Origin api1;
    static Origin api2;
    static Origin web;
    static Origin beta;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        api1 = new Origin("api1");
        api2 = new Origin("api2");
        web = new Origin("web");
        beta = new Origin("beta");
        proxy = Gatehouse.start(
            "routes", "region2,beta,api,tenant,web",
            "routes.region2.match.query.region", "2",
            "routes.region2.targets", web.url() + "/region2",
            "routes.beta.match.host", "*.beta.test",
            "routes.beta.targets", beta.url(),
            "routes.api.match.path", "/api/",
            "routes.api.strip-prefix", "true",
            "routes.api.targets", api1.url() + "," + api2.url(),
            "routes.tenant.match.path", "/t/",
            "routes.tenant.match.header.X-Tenant", "acme",
            "routes.tenant.targets", beta.url() + "/acme",
            "routes.web.match.host", "www.example.test",
            "routes.web.targets", web.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        for (Origin o : new Origin[]{api1, api2, web, beta})
            o.close();
    }

    private static RawHttp.Reply get(String target, String host, String... extra) throws Exception
    {
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String header : extra)
            request.append(header).append("\r\n");
        request.append("Connection: close\r\n\r\n");
        return RawHttp.exchange(proxy.port(), request.toString());
    }

    @Test
    void routesByPathPrefixAndStripsIt() throws Exception
    {
        RawHttp.Reply reply = get("/api/users?id=7", "127.0.0.1");
        assertEquals(200, reply.status());
        assertTrue(reply.body().startsWith("GET /users?id=7\n"), reply.body());
    }

    @Test
    void balancesRoundRobinAcrossTargets() throws Exception
    {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++)
            counts.merge(get("/api/rr", "127.0.0.1").header("X-Origin"), 1, Integer::sum);
        assertEquals(Map.of("api1", 5, "api2", 5), counts);
    }

    @Test
    void routesByWildcardHost() throws Exception
    {
        RawHttp.Reply reply = get("/api/x", "shop.beta.test");
        assertEquals("beta", reply.header("X-Origin"), "host route listed first wins over the path route");
        assertTrue(reply.body().startsWith("GET /api/x\n"), "no strip on this route: " + reply.body());
    }

    @Test
    void routesByExactHost() throws Exception
    {
        assertEquals("web", get("/", "www.example.test").header("X-Origin"));
        assertEquals(404, get("/", "other.example.test").status());
    }

    @Test
    void headerConditionMustHoldTogetherWithPath() throws Exception
    {
        RawHttp.Reply matched = get("/t/page", "127.0.0.1", "X-Tenant: acme");
        assertEquals("beta", matched.header("X-Origin"));
        assertTrue(matched.body().startsWith("GET /acme/t/page\n"), "target base path is kept: " + matched.body());
        RawHttp.Reply wrongValue = get("/t/page", "127.0.0.1", "X-Tenant: other");
        assertEquals(404, wrongValue.status());
        assertTrue(wrongValue.body().contains("NO_ROUTE"));
    }

    @Test
    void routesByQueryParameterAndPassesTheQueryOn() throws Exception
    {
        RawHttp.Reply reply = get("/items?region=2&page=1", "127.0.0.1");
        assertEquals("web", reply.header("X-Origin"));
        assertTrue(reply.body().startsWith("GET /region2/items?region=2&page=1\n"), reply.body());
        assertEquals("api1", get("/api/x?region=1", "127.0.0.1").header("X-Origin").replace("api2", "api1"));
    }

    @Test
    void passesEncodedPathsAndQueriesUnchanged() throws Exception
    {
        RawHttp.Reply reply = get("/api/files/a%2Fb/c%20d?x=%2F&y=1&y=2", "127.0.0.1");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().startsWith("GET /files/a%2Fb/c%20d?x=%2F&y=1&y=2\n"), reply.body());
    }

    @Test
    void passesRepeatedHeaders() throws Exception
    {
        RawHttp.Reply reply = get("/api/h", "127.0.0.1", "X-Multi: one", "X-Multi: two");
        assertTrue(reply.body().contains("x-multi: one\n") && reply.body().contains("x-multi: two\n"), reply.body());
    }

    @Test
    void sendsTheTargetHostUpstreamAndTheClientHostAsXForwardedHost() throws Exception
    {
        RawHttp.Reply reply = get("/", "www.example.test");
        assertEquals("127.0.0.1:" + web.port(), Http.echoed(reply.body(), "host"));
        assertEquals("www.example.test", Http.echoed(reply.body(), "x-forwarded-host"));
    }

    @Test
    void jdkClientSeesTheReverseRoute() throws Exception
    {
        HttpResponse<String> response = Http.get(Http.direct(), proxy.url() + "/api/hello");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("GET /hello\n"));
    }
}
