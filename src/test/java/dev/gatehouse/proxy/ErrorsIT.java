package dev.gatehouse.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorsIT
{
    static Origin origin;
    static int closedPort;
    static ServerSocket shortOrigin;
    static Thread shortOriginThread;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("err");
        try (ServerSocket s = new ServerSocket(0))
        {
            closedPort = s.getLocalPort();
        }
        shortOrigin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        shortOriginThread = new Thread(ErrorsIT::shortBodies, "short-origin");
        shortOriginThread.setDaemon(true);
        shortOriginThread.start();
        proxy = Gatehouse.start(
            "timeouts.request", "2s", // room for every other request here on a busy machine
            "routes", "dead,short,app",
            "routes.dead.match.path", "/dead/",
            "routes.dead.targets", "http://127.0.0.1:" + closedPort,
            "routes.short.match.path", "/short/",
            "routes.short.targets", "http://127.0.0.1:" + shortOrigin.getLocalPort(),
            "routes.app.targets", origin.url());
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
        shortOrigin.close();
    }

    /** An origin that declares 100,000 bytes, sends 20,000 and closes the connection. */
    private static void shortBodies()
    {
        while (!shortOrigin.isClosed())
        {
            try (Socket socket = shortOrigin.accept())
            {
                InputStream in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                int c;
                while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0)
                    head.append((char)c);
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(new byte[20_000]);
                socket.getOutputStream().flush();
            }
            catch (IOException x)
            {
                // closed at the end of the class, or a client that went away
            }
        }
    }

    private static RawHttp.Reply get(String target) throws IOException
    {
        return RawHttp.exchange(proxy.port(), "GET " + target + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
    }

    private static void assertJsonError(RawHttp.Reply reply, int status, String code)
    {
        assertEquals(status, reply.status(), reply.body());
        assertEquals("application/json", reply.header("Content-Type"));
        String body = reply.body();
        assertTrue(body.startsWith("{\"error\":{\"code\":\"" + code + "\",\"message\":\""), body);
        assertTrue(body.contains("\"request_id\":\"" + reply.header("X-Request-ID") + "\""), body);
        assertTrue(body.matches("(?s).*\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\".*"), body);
    }

    @Test
    void refusedUpstreamIs502() throws Exception
    {
        assertJsonError(get("/dead/x"), 502, "UPSTREAM_UNAVAILABLE");
    }

    @Test
    void slowUpstreamIs504() throws Exception
    {
        assertJsonError(get("/slow?ms=6000"), 504, "UPSTREAM_TIMEOUT");
    }

    @Test
    void upstreamFasterThanTheTimeoutIsServed() throws Exception
    {
        RawHttp.Reply reply = get("/slow?ms=50");
        assertEquals(200, reply.status());
        assertEquals("slow", reply.body());
    }

    @Test
    void forwardToRefusedDestinationIs502() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(), "GET http://127.0.0.1:" + closedPort + "/ HTTP/1.1\r\nHost: 127.0.0.1:"
            + closedPort + "\r\nConnection: close\r\n\r\n");
        assertJsonError(reply, 502, "UPSTREAM_UNAVAILABLE");
    }

    @Test
    void malformedRequestIs400WithJson() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(), "GET /x HTTP/1.1\r\nHost: app.test\r\nBad Header Line\r\n\r\n");
        assertEquals(400, reply.status());
        assertTrue(reply.body().contains("\"code\":\"BAD_REQUEST\""), reply.body());
    }

    @Test
    void requestThatAlreadyPassedThisProxyIsALoop() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(),
            "GET /echo HTTP/1.1\r\nHost: app.test\r\nVia: 1.1 other, 1.1 gh-test\r\nConnection: close\r\n\r\n");
        assertJsonError(reply, 508, "LOOP_DETECTED");
    }

    @Test
    void ambiguousFramingIsRefusedBeforeReachingTheUpstream() throws Exception
    {
        int before = origin.requests();
        RawHttp.Reply reply = RawHttp.exchange(proxy.port(), "POST /echo HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n");
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"code\":\"BAD_REQUEST\""), reply.body());
        assertEquals(before, origin.requests(), "nothing reached the origin");
    }

    @Test
    void upstreamFallingSilentMidBodyClosesTheClientConnection() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /trickle?id=never HTTP/1.1\r\nHost: app.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.Reply head = RawHttp.read(in, false);
            assertEquals(200, head.status());
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(rest.contains("data: first"), rest);
            assertFalse(rest.endsWith("\r\n0\r\n\r\n"), "the silent upstream's body must not look complete: " + rest);
        }
        finally
        {
            origin.release("never");
        }
    }

    @Test
    void upstreamDyingMidResponseClosesTheClientConnectionWithoutCompletingTheBody() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /die HTTP/1.1\r\nHost: app.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.Reply head = RawHttp.read(in, false);
            assertEquals(200, head.status());
            assertEquals("chunked", head.header("Transfer-Encoding"));
            // Read to EOF: the connection must close, and the chunked body must not end with the
            // terminating zero-length chunk (which would make a truncated body look complete).
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(rest.contains("partial-"), "some of the body arrived");
            assertFalse(rest.endsWith("\r\n0\r\n\r\n"), "truncated body must not look complete");
        }
    }

    @Test
    void upstreamEndingShortOfItsContentLengthClosesTheClientConnectionShortOfItToo() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /short/x HTTP/1.1\r\nHost: app.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.Reply head = RawHttp.read(in, false);
            assertEquals(200, head.status());
            // the proxy passes the upstream's length on: the client can tell the body is short
            assertEquals("100000", head.header("Content-Length"));
            assertNull(head.header("Transfer-Encoding"));
            int received = in.readAllBytes().length;
            assertTrue(received < 100_000, "the connection closes before the declared length: " + received + " bytes arrived");
        }
    }
}
