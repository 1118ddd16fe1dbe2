package dev.gatehouse.policy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request limits, request smuggling defences and response/request header policy. */
class LimitsAndHeadersIT
{
    static Origin origin;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("lim");
        proxy = Gatehouse.start("limits.max-url-length", "200", "limits.max-headers", "20", "limits.max-header-size", "2KB",
            "limits.max-body-size", "1KB", "headers.remove", "X-Powered-By,Server",
            "routes", "edit,app",
            "routes.edit.match.path", "/edit/",
            "routes.edit.request-headers.set.X-Team", "payments",
            "routes.edit.request-headers.add.X-Tag", "gh",
            "routes.edit.request-headers.remove", "X-Debug",
            "routes.edit.response-headers.set.X-Served-By", "gatehouse",
            "routes.edit.response-headers.remove", "X-Origin",
            "routes.edit.headers.frame-options", "",
            "routes.edit.targets", origin.url(),
            "routes.app.targets", origin.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    private static RawHttp.Reply send(String request) throws Exception
    {
        return RawHttp.exchange(proxy.port(), request);
    }

    private static RawHttp.Reply get(String path, String... headers) throws Exception
    {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n");
        for (String h : headers)
            b.append(h).append("\r\n");
        return send(b.append("Connection: close\r\n\r\n").toString());
    }

    private static void assertError(RawHttp.Reply reply, int status, String code)
    {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"code\":\"" + code + "\""), reply.body());
    }

    @Test
    void longUrlIs414() throws Exception
    {
        assertError(get("/echo?q=" + "x".repeat(300)), 414, "URI_TOO_LONG");
        assertEquals(200, get("/echo?q=" + "x".repeat(100)).status());
    }

    @Test
    void tooManyOrTooLargeHeadersAre431() throws Exception
    {
        String[] many = new String[25];
        for (int i = 0; i < many.length; i++)
            many[i] = "X-H" + i + ": v";
        assertError(get("/echo", many), 431, "HEADERS_TOO_LARGE");
        assertError(get("/echo", "X-Big: " + "y".repeat(3000)), 431, "HEADERS_TOO_LARGE");
    }

    @Test
    void methodOutsideTheAllowedListIs405() throws Exception
    {
        RawHttp.Reply reply = send("PROPFIND /echo HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
        assertError(reply, 405, "METHOD_NOT_ALLOWED");
        assertTrue(reply.header("Allow").contains("GET"), reply.headers().toString());
    }

    @Test
    void declaredOversizedBodyIs413BeforeReachingTheUpstream() throws Exception
    {
        int before = origin.requests();
        RawHttp.Reply reply = send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5000\r\n\r\n" + "z".repeat(5000));
        assertError(reply, 413, "PAYLOAD_TOO_LARGE");
        assertEquals(before, origin.requests());
    }

    @Test
    void chunkedBodyIsCutOffAtTheLimitWhileStreaming() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String chunk = "400\r\n" + "c".repeat(1024) + "\r\n";
            for (int i = 0; i < 3; i++)
                out.write(chunk.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // the client keeps the body open: the proxy must answer without waiting for its end
            InputStream in = socket.getInputStream();
            RawHttp.Reply reply = RawHttp.read(in, true);
            assertError(reply, 413, "PAYLOAD_TOO_LARGE");
            assertEquals("close", reply.header("Connection"));
        }
    }

    @Test
    void bodyWithinTheLimitPasses() throws Exception
    {
        RawHttp.Reply reply = send("POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "10\r\n" + "a".repeat(16) + "\r\n0\r\n\r\n");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.body().startsWith("bytes=16 "), reply.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST /echo HTTP/1.1\r\nHost: app.test\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
        "POST /echo HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /echo HTTP/1.1\r\nHost: app.test\r\nX-Folded: a\r\n b\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "GET /echo HTTP/1.1\nHost: app.test\n\n",
        "POST /echo HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    })
    void ambiguousFramingIsRefusedWith400AndTheConnectionClosed(String request) throws Exception
    {
        int before = origin.requests();
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            RawHttp.Reply reply = RawHttp.read(in, true);
            assertEquals(400, reply.status(), reply.body());
            assertTrue(reply.body().contains("\"code\":\"BAD_REQUEST\""), reply.body());
            assertEquals(-1, in.read(), "the connection is closed after the refusal");
        }
        assertEquals(before, origin.requests(), "nothing reached the upstream");
    }

    @Test
    void securityHeadersAreOnProxiedAndErrorResponsesAndUpstreamValuesWin() throws Exception
    {
        RawHttp.Reply proxied = get("/typed?ct=text/plain");
        assertEquals("nosniff", proxied.header("X-Content-Type-Options"));
        assertEquals("strict-origin-when-cross-origin", proxied.header("Referrer-Policy"));
        assertEquals("SAMEORIGIN", proxied.header("X-Frame-Options"), "the upstream's own value wins by default");
        assertNull(proxied.header("Strict-Transport-Security"), "HSTS only over HTTPS");
        assertNull(proxied.header("Content-Security-Policy"), "CSP is off by default");
        assertNull(proxied.header("X-Powered-By"), "headers.remove");
        assertNull(proxied.header("Server"), "headers.remove");
        RawHttp.Reply error = get("/echo?q=" + "x".repeat(300));
        assertEquals("DENY", error.header("X-Frame-Options"), "the proxy's own errors carry them too");
        try (Gatehouse override = Gatehouse.start("headers.override", "true", "routes", "app", "routes.app.targets", origin.url()))
        {
            RawHttp.Reply reply = RawHttp.exchange(override.port(), "GET /typed?ct=text/plain HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertEquals("DENY", reply.header("X-Frame-Options"));
        }
    }

    @Test
    void routeEditsRequestAndResponseHeaders() throws Exception
    {
        RawHttp.Reply reply = get("/edit/echo", "X-Debug: 1", "X-Tag: client", "X-Team: spoofed");
        String body = reply.body();
        assertEquals("payments", Http.echoed(body, "x-team"));
        assertTrue(body.contains("x-tag: client\n") && body.contains("x-tag: gh\n"), body);
        assertNull(Http.echoed(body, "x-debug"), body);
        assertEquals("gatehouse", reply.header("X-Served-By"));
        assertNull(reply.header("X-Origin"), "removed per route");
        assertNull(reply.header("X-Frame-Options"), "turned off for this route");
    }
}
