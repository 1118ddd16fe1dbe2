package dev.gatehouse.tunnel;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.support.EchoServer;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectIT
{
    static EchoServer echo;
    static int closedPort;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        echo = new EchoServer();
        try (ServerSocket s = new ServerSocket(0))
        {
            closedPort = s.getLocalPort();
        }
        proxy = Gatehouse.start("connect.allowed-ports", "443," + echo.port() + "," + closedPort, "timeouts.connect", "1s");
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        echo.close();
    }

    private static RawHttp.Reply connect(int port, String authority) throws Exception
    {
        return RawHttp.exchange(port, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    }

    @Test
    void tunnelsBytesBothWays() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String authority = "127.0.0.1:" + echo.port();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Reply reply = RawHttp.read(in, false);
            assertEquals(200, reply.status());
            byte[] payload = new byte[200_000];
            for (int i = 0; i < payload.length; i++)
                payload[i] = (byte)(i * 31);
            out.write(payload);
            out.flush();
            byte[] back = in.readNBytes(payload.length);
            assertArrayEquals(payload, back, "an opaque byte pipe, not HTTP");
        }
    }

    @Test
    void refusesPortsNotAllowedWith403() throws Exception
    {
        RawHttp.Reply reply = connect(proxy.port(), "127.0.0.1:25");
        assertEquals(403, reply.status());
        assertEquals("application/json", reply.header("Content-Type"));
        assertTrue(reply.body().contains("\"code\":\"DESTINATION_FORBIDDEN\""), reply.body());
    }

    @Test
    void unreachableDestinationIs502() throws Exception
    {
        RawHttp.Reply reply = connect(proxy.port(), "127.0.0.1:" + closedPort);
        assertEquals(502, reply.status());
        assertTrue(reply.body().contains("\"code\":\"UPSTREAM_UNAVAILABLE\""), reply.body());
    }

    @Test
    void connectTimeoutIs504() throws Exception
    {
        // A listener that never accepts, with its accept queue filled: further SYNs are dropped,
        // so connecting to it times out instead of failing fast.
        try (ServerSocket blackhole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            List<Socket> fillers = new ArrayList<>();
            try
            {
                for (int i = 0; i < 3; i++)
                {
                    Socket s = new Socket();
                    try
                    {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), blackhole.getLocalPort()), 300);
                        fillers.add(s);
                    }
                    catch (SocketTimeoutException x)
                    {
                        s.close();
                        break;
                    }
                }
                try (Gatehouse p = Gatehouse.start("connect.allowed-ports", Integer.toString(blackhole.getLocalPort()),
                    "timeouts.connect", "500ms"))
                {
                    RawHttp.Reply reply = connect(p.port(), "127.0.0.1:" + blackhole.getLocalPort());
                    assertEquals(504, reply.status(), reply.body());
                    assertTrue(reply.body().contains("\"code\":\"UPSTREAM_TIMEOUT\""), reply.body());
                }
            }
            finally
            {
                for (Socket s : fillers)
                    s.close();
            }
        }
    }

    @Test
    void adminListenerRefusesConnect() throws Exception
    {
        RawHttp.Reply reply = connect(proxy.adminPort(), "127.0.0.1:" + echo.port());
        assertEquals(405, reply.status());
        assertTrue(reply.body().contains("METHOD_NOT_ALLOWED"), reply.body());
    }

    @Test
    void connectCanBeDisabled() throws Exception
    {
        try (Gatehouse p = Gatehouse.start("connect.enabled", "false", "connect.allowed-ports", Integer.toString(echo.port())))
        {
            RawHttp.Reply reply = connect(p.port(), "127.0.0.1:" + echo.port());
            assertEquals(405, reply.status());
        }
    }
}
