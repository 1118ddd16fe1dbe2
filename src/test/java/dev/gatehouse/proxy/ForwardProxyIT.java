package dev.gatehouse.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardProxyIT
{
    static Origin origin;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("fwd");
        proxy = Gatehouse.start();
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
    void forwardsAbsoluteUriRequestsWithTheirBodies(String method) throws Exception
    {
        HttpClient client = Http.via(proxy.port());
        String body = "payload-" + method;
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin.url() + "/echo/x?q=1"))
            .method(method, method.equals("GET") || method.equals("OPTIONS") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().startsWith(method + " /echo/x?q=1\n"), response.body());
        assertEquals("fwd", response.headers().firstValue("X-Origin").orElse(null));
        long expectedBytes = method.equals("GET") || method.equals("OPTIONS") || method.equals("DELETE") ? 0 : body.length();
        assertEquals(Long.toString(expectedBytes), Http.echoed(response.body(), "body-bytes"));
    }

    @Test
    void forwardsHeadWithoutBody() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(),
            "HEAD " + origin.url() + "/echo HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, reply.status());
        assertEquals("fwd", reply.header("X-Origin"));
        assertEquals("", reply.body());
    }

    @Test
    void absoluteUriRequestLineReachesTheOrigin() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(),
            "GET " + origin.url() + "/echo/raw?a=1&a=2 HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, reply.status());
        assertTrue(reply.body().startsWith("GET /echo/raw?a=1&a=2\n"), reply.body());
    }

    @Test
    void refusesTraceWith405() throws Exception
    {
        int before = origin.requests();
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(),
            "TRACE " + origin.url() + "/echo HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nConnection: close\r\n\r\n");
        assertEquals(405, reply.status());
        assertEquals("application/json", reply.header("Content-Type"));
        assertTrue(reply.body().contains("\"code\":\"METHOD_NOT_ALLOWED\""), reply.body());
        assertEquals(before, origin.requests(), "TRACE never reaches the origin");
    }

    @Test
    void originFormRequestForTheProxyItselfGetsNoRoute() throws Exception
    {
        HttpResponse<String> response = Http.get(Http.direct(), proxy.url() + "/anything");
        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"NO_ROUTE\""), response.body());
        assertTrue(response.body().contains("\"request_id\":\"" + response.headers().firstValue("X-Request-ID").orElseThrow() + "\""));
    }

    @Test
    void forwardingCanBeDisabled() throws Exception
    {
        try (Gatehouse reverseOnly = Gatehouse.start("forward.enabled", "false"))
        {
            HttpResponse<String> response = Http.get(Http.via(reverseOnly.port()), origin.url() + "/echo");
            assertEquals(404, response.statusCode());
            assertTrue(response.body().contains("NO_ROUTE"), response.body());
        }
    }
}
