package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.Test;

/**
 * A refusal names its rule in the JSON body's {@code reason}, the word of its security log line, so
 * a client (or an operator reading the body) knows which key to look at without the server log.
 */
class RefusalReasonsIT
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RawHttp.Reply connect(Gatehouse proxy, String authority) throws Exception
    {
        return RawHttp.exchange(proxy.port(), "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    }

    /** Asserts status, code and reason of a JSON error body. */
    private static void assertRefused(RawHttp.Reply reply, int status, String code, String reason) throws Exception
    {
        assertEquals(status, reply.status(), reply.body());
        JsonNode error = JSON.readTree(reply.body()).get("error");
        assertEquals(code, error.get("code").asText(), reply.body());
        assertEquals(reason, error.path("reason").asText(null), reply.body());
    }

    @Test
    void destinationRefusalsNameSsrfDomainOrPort() throws Exception
    {
        try (Origin origin = new Origin("reasons"); Gatehouse proxy = Gatehouse.start("ssrf.allow", "", "filter.blocked", "blocked.test");
             Gatehouse tunnels = Gatehouse.start("ssrf.allow", "", "connect.allowed-ports", Integer.toString(origin.port())))
        {
            String local = ":" + origin.port();
            assertRefused(RawHttp.forward(proxy.port(), "127.0.0.1" + local, "/echo"), 403, "DESTINATION_FORBIDDEN", "ssrf"); // an address literal
            assertRefused(RawHttp.forward(proxy.port(), "localhost" + local, "/echo"), 403, "DESTINATION_FORBIDDEN", "ssrf"); // a name, once resolved
            assertRefused(RawHttp.forward(proxy.port(), "blocked.test", "/"), 403, "DOMAIN_BLOCKED", "domain");
            assertRefused(connect(proxy, "127.0.0.1" + local), 403, "DESTINATION_FORBIDDEN", "connect-port");
            assertRefused(connect(proxy, "blocked.test:443"), 403, "DOMAIN_BLOCKED", "domain");
            assertRefused(connect(tunnels, "localhost" + local), 403, "DESTINATION_FORBIDDEN", "ssrf");
        }
    }

    @Test
    void ssrfAllowLetsTheForwardProxyReachALocalOrigin() throws Exception
    {
        try (Origin origin = new Origin("reasons"); Gatehouse proxy = Gatehouse.start("ssrf.allow", "127.0.0.1/32"))
        {
            RawHttp.Reply reply = RawHttp.forward(proxy.port(), "127.0.0.1:" + origin.port(), "/echo");
            assertEquals(200, reply.status(), reply.body());
        }
    }

    @Test
    void clientRefusalsNameAclMethodAndLimits() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("acl.deny", "127.0.0.1"))
        {
            assertRefused(RawHttp.forward(proxy.port(), "127.0.0.1:9", "/echo"), 403, "ACL_DENIED", "acl");
            assertRefused(connect(proxy, "127.0.0.1:443"), 403, "ACL_DENIED", "acl");
        }
        try (Origin origin = new Origin("reasons"); Gatehouse proxy = Gatehouse.start("limits.max-url-length", "64",
            "ratelimit.requests-per-second", "0.001", "ratelimit.burst", "3", "routes", "app", "routes.app.targets", origin.url()))
        {
            assertRefused(RawHttp.exchange(proxy.port(), "TRACE /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                405, "METHOD_NOT_ALLOWED", "method");
            assertRefused(RawHttp.exchange(proxy.port(), "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                414, "URI_TOO_LONG", "url-length");
            RawHttp.Reply ok = RawHttp.exchange(proxy.port(), "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(200, ok.status(), ok.body());
            assertRefused(RawHttp.exchange(proxy.port(), "GET /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                429, "RATE_LIMITED", "rate-limit");
        }
    }

    @Test
    void errorsThatAreNoRefusalCarryNoReason() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            RawHttp.Reply reply = RawHttp.exchange(proxy.port(), "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(404, reply.status(), reply.body());
            assertNull(JSON.readTree(reply.body()).get("error").get("reason"), reply.body());
        }
    }
}
