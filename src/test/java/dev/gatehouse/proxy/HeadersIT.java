package dev.gatehouse.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadersIT
{
    static Origin origin;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("hdr");
        proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    private static RawHttp.Reply get(String... headers) throws Exception
    {
        StringBuilder request = new StringBuilder("GET /echo HTTP/1.1\r\nHost: app.test\r\n");
        for (String header : headers)
            request.append(header).append("\r\n");
        request.append("Connection: close\r\n\r\n");
        return RawHttp.exchange(proxy.port(), request.toString());
    }

    @Test
    void theUpstreamsFieldReplacesTheProxysOwnOfTheSameNameOnce() throws Exception
    {
        // the proxy's rate-limit fields are on the response before the upstream answers; an
        // upstream API's own RateLimit-Limit replaces the proxy's (it is the first of its name),
        // fields the proxy did not set are copied as they came
        try (CacheOrigin api = new CacheOrigin();
             Gatehouse gatehouse = Gatehouse.start("routes", "api", "routes.api.targets", api.url(),
                 "ratelimit.requests-per-second", "1000"))
        {
            api.on("/quota", 200, "ok", "Content-Type", "text/plain", "RateLimit-Limit", "999", "X-Upstream", "a, b");
            HttpResponse<String> r = Http.get(Http.direct(), gatehouse.url() + "/quota");
            assertEquals(200, r.statusCode());
            assertEquals(List.of("999"), r.headers().allValues("RateLimit-Limit"));
            assertEquals(1, r.headers().allValues("RateLimit-Remaining").size(), "the proxy's own, untouched");
            assertEquals("a, b", String.join(", ", r.headers().allValues("X-Upstream")));
            assertEquals(List.of("text/plain"), r.headers().allValues("Content-Type"));
            assertEquals("ok", r.body());
        }
    }

    @Test
    void aProxiedResponseCarriesOneDateAndOneServerTheUpstreams() throws Exception
    {
        // Jetty puts its own Date on every response before the proxy runs; the upstream's replaces it
        try (CacheOrigin api = new CacheOrigin();
             Gatehouse gatehouse = Gatehouse.start("routes", "api", "routes.api.targets", api.url()))
        {
            api.on("/dated", 200, "ok", "Content-Type", "text/plain");
            HttpResponse<String> direct = Http.get(Http.direct(), api.url() + "/dated");
            HttpResponse<String> r = Http.get(Http.direct(), gatehouse.url() + "/dated");
            assertEquals(200, r.statusCode());
            assertEquals(1, direct.headers().allValues("Date").size(), "the origin sends one");
            assertEquals(1, r.headers().allValues("Date").size(), r.headers().allValues("Date").toString());
            assertEquals(direct.headers().allValues("Server"), r.headers().allValues("Server"));
        }
    }

    @Test
    void addsTheForwardedFamily() throws Exception
    {
        RawHttp.Reply reply = get();
        String body = reply.body();
        assertEquals("127.0.0.1", Http.echoed(body, "x-forwarded-for"));
        assertEquals("http", Http.echoed(body, "x-forwarded-proto"));
        assertEquals("app.test", Http.echoed(body, "x-forwarded-host"));
        assertEquals("127.0.0.1", Http.echoed(body, "x-real-ip"));
        assertEquals("1.1 gh-test", Http.echoed(body, "via"));
        String forwarded = Http.echoed(body, "forwarded");
        assertEquals("by=\"127.0.0.1\";for=\"127.0.0.1\";host=\"app.test\";proto=http", forwarded, body);
    }

    @Test
    void appendsThisHopToTheViaAndForwardedTheClientSent() throws Exception
    {
        String body = get("Via: 1.0 edge, 1.1 cdn", "Forwarded: for=203.0.113.9;proto=https", "Forwarded: for=\"[2001:db8::1]\"").body();
        assertEquals("1.0 edge, 1.1 cdn, 1.1 gh-test", Http.echoed(body, "via"));
        assertEquals("for=203.0.113.9;proto=https, for=\"[2001:db8::1]\", by=\"127.0.0.1\";for=\"127.0.0.1\";host=\"app.test\";proto=http",
            Http.echoed(body, "forwarded"));
    }

    @Test
    void appendsToAnExistingForwardedForChain() throws Exception
    {
        String body = get("X-Forwarded-For: 203.0.113.9, 198.51.100.1").body();
        assertEquals("203.0.113.9, 198.51.100.1, 127.0.0.1", Http.echoed(body, "x-forwarded-for"));
    }

    @Test
    void replacesClientSuppliedRealIpAndProto() throws Exception
    {
        String body = get("X-Real-IP: 6.6.6.6", "X-Forwarded-Proto: https").body();
        assertEquals("127.0.0.1", Http.echoed(body, "x-real-ip"));
        assertEquals("http", Http.echoed(body, "x-forwarded-proto"));
    }

    @Test
    void reusesAWellFormedRequestId() throws Exception
    {
        RawHttp.Reply reply = get("X-Request-ID: abc-123.def_4");
        assertEquals("abc-123.def_4", reply.header("X-Request-ID"));
        assertEquals("abc-123.def_4", Http.echoed(reply.body(), "x-request-id"));
    }

    @Test
    void replacesAMalformedRequestIdAndSendsTheSameOneBothWays() throws Exception
    {
        RawHttp.Reply reply = get("X-Request-ID: bad id<script>");
        String id = reply.header("X-Request-ID");
        assertNotNull(id);
        assertNotEquals("bad id<script>", id);
        assertTrue(id.matches("[a-z0-9]{20}"), id);
        assertEquals(id, Http.echoed(reply.body(), "x-request-id"));
        assertEquals(1, reply.body().split("x-request-id: ", -1).length - 1, "exactly one id upstream");
    }

    @Test
    void marksResponsesWithTheProxyId() throws Exception
    {
        assertEquals("gh-test", get().header("X-Proxy-ID"));
    }

    @Test
    void removesHopByHopAndProxyCredentials() throws Exception
    {
        String body = get("Proxy-Authorization: Basic c2VjcmV0", "Proxy-Connection: keep-alive",
            "X-Private-Hop: 1", "Connection: close, X-Private-Hop", "TE: trailers", "Keep-Alive: 300", "X-Kept: yes").body();
        assertNull(Http.echoed(body, "proxy-authorization"), body);
        assertNull(Http.echoed(body, "proxy-connection"), body);
        assertNull(Http.echoed(body, "x-private-hop"), body);
        assertNull(Http.echoed(body, "te"), body);
        assertNull(Http.echoed(body, "keep-alive"), body);
        assertEquals("yes", Http.echoed(body, "x-kept"));
    }

    @Test
    void removesHopByHopHeadersFromResponses() throws Exception
    {
        RawHttp.Reply reply = get();
        assertNull(reply.header("X-Hop"), "named in the origin's Connection header");
        assertNull(reply.header("Keep-Alive"));
        assertEquals("hdr", reply.header("X-Origin"));
    }

    @Test
    void passesResponseHeaderValuesThroughAsSent() throws Exception
    {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/cookies")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(List.of("a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/", "b=2; Expires=Thu, 22 Oct 2037 07:28:00 GMT; HttpOnly"),
            response.headers().allValues("set-cookie"));
        assertEquals(List.of("a,  b ,c"), response.headers().allValues("x-list"));
        assertEquals(List.of("hdr"), response.headers().allValues("x-origin"));
    }

    @Test
    void doesNotAddAUserAgent() throws Exception
    {
        assertNull(Http.echoed(get().body(), "user-agent"));
        assertEquals("probe/1", Http.echoed(get("User-Agent: probe/1").body(), "user-agent"));
    }
}
