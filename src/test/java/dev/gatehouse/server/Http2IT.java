package dev.gatehouse.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawH2;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/2 on the plain listener (h2c), its limits, upstream h2c, forward and CONNECT over HTTP/2. */
class Http2IT
{
    static Origin origin;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("h2-origin");
        proxy = Gatehouse.start("routes", "h2up,app", "routes.app.match.path", "/", "routes.app.targets", origin.url(),
            "routes.h2up.match.path", "/up/", "routes.h2up.strip-prefix", "true", "routes.h2up.protocol", "h2c",
            "routes.h2up.targets", origin.url(), "http2.max-concurrent-streams", "2", "http2.max-events-per-second", "20",
            "connect.allowed-ports", Integer.toString(origin.port()), "limits.max-header-size", "4KB", "limits.max-url-length", "1024");
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    @Test
    void speaksH2cWithPriorKnowledge() throws Exception
    {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
        try
        {
            ContentResponse r = client.GET(proxy.url() + "/echo");
            assertEquals(200, r.getStatus(), r.getContentAsString());
            assertEquals(HttpVersion.HTTP_2, r.getVersion());
            assertEquals("HTTP/1.1", r.getHeaders().get("X-Origin-Protocol"), "upstream stays HTTP/1.1 by default");
        }
        finally
        {
            client.stop();
        }
    }

    @Test
    void upgradesToH2cOnRequest() throws Exception
    {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        // the JDK client sends Upgrade: h2c on its first request to an http:// URI
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/echo")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
    }

    @Test
    void speaksOnlyHttp11WhenHttp2IsOff() throws Exception
    {
        try (Gatehouse off = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "http2.enabled", "false"))
        {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(off.url() + "/echo")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "Upgrade: h2c is not taken up");
        }
    }

    @Test
    void keepsHttp11ForAnUpgradeRequestWithABody() throws Exception
    {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/upload"))
            .POST(HttpRequest.BodyPublishers.ofString("z".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("bytes=100000 sum=" + (100_000L * 'z'), r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
    }

    @Test
    void talksH2cToUpstreamsThatAskForIt() throws Exception
    {
        HttpResponse<String> r = Http.get(Http.direct(), proxy.url() + "/up/echo");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("HTTP/2.0", r.headers().firstValue("X-Origin-Protocol").orElse(null));
    }

    @Test
    void refusesStreamsBeyondTheConcurrencyLimit() throws Exception
    {
        try (RawH2 h2 = new RawH2(proxy.port()))
        {
            for (int stream = 1; stream <= 5; stream += 2)
                h2.send(RawH2.request(stream, "GET", "127.0.0.1", proxy.port(), "/trickle?id=limit" + stream, HttpFields.EMPTY, true));
            Frame refused = h2.await(f -> f instanceof ResetFrame, Duration.ofSeconds(10));
            assertNotNull(refused, "a stream beyond http2.max-concurrent-streams is reset");
            assertEquals(5, ((ResetFrame)refused).getStreamId());
            assertEquals(ErrorCode.REFUSED_STREAM_ERROR.code, ((ResetFrame)refused).getError());
        }
        finally
        {
            for (int stream = 1; stream <= 5; stream += 2)
                origin.release("limit" + stream);
        }
    }

    @Test
    void closesAConnectionThatResetsStreamsRapidly() throws Exception
    {
        try (RawH2 h2 = new RawH2(proxy.port()))
        {
            // CVE-2023-44487: open and cancel streams as fast as possible
            try
            {
                for (int stream = 1; stream < 400; stream += 2)
                {
                    h2.send(RawH2.request(stream, "GET", "127.0.0.1", proxy.port(), "/echo", HttpFields.EMPTY, true),
                        new ResetFrame(stream, ErrorCode.CANCEL_STREAM_ERROR.code));
                }
            }
            catch (IOException closedWhileSending)
            {
                // the server may close before the burst is over
            }
            Frame goAway = h2.await(f -> f instanceof GoAwayFrame, Duration.ofSeconds(10));
            assertNotNull(goAway, "the connection is closed");
            assertTrue(goAway == RawH2.CLOSED || ((GoAwayFrame)goAway).getError() == ErrorCode.ENHANCE_YOUR_CALM_ERROR.code,
                "GOAWAY ENHANCE_YOUR_CALM, got " + goAway);
        }
    }

    @Test
    void refusesAHeaderListAboveTheLimit() throws Exception
    {
        // limit: limits.max-header-size 4KB + limits.max-url-length 1KB + 1KB
        try (RawH2 h2 = new RawH2(proxy.port()))
        {
            h2.send(RawH2.request(1, "GET", "127.0.0.1", proxy.port(), "/echo", HttpFields.build().put("X-Big", "x".repeat(3 * 1024)), true));
            Frame ok = h2.await(f -> f instanceof HeadersFrame || f instanceof GoAwayFrame, Duration.ofSeconds(10));
            assertTrue(ok instanceof HeadersFrame, "within the limit: " + ok);
            assertEquals(200, RawH2.status(ok));
        }
        try (RawH2 h2 = new RawH2(proxy.port()))
        {
            h2.send(RawH2.request(1, "GET", "127.0.0.1", proxy.port(), "/echo", HttpFields.build().put("X-Big", "x".repeat(8 * 1024)), true));
            Frame answer = h2.await(f -> f instanceof HeadersFrame || f instanceof ResetFrame || f instanceof GoAwayFrame, Duration.ofSeconds(10));
            // Jetty's HPACK decoder stops at SETTINGS_MAX_HEADER_LIST_SIZE and closes the connection
            assertTrue(answer instanceof GoAwayFrame, "over the limit: " + answer);
        }
    }

    @Test
    void forwardsARequestWhoseAuthorityNamesAnotherHost() throws Exception
    {
        try (RawH2 h2 = new RawH2(proxy.port()))
        {
            h2.send(RawH2.request(1, "GET", "127.0.0.1", origin.port(), "/echo/fwd", HttpFields.EMPTY, true));
            Frame headers = h2.await(f -> f instanceof HeadersFrame, Duration.ofSeconds(10));
            assertNotNull(headers);
            assertEquals(200, RawH2.status(headers));
            assertEquals("h2-origin", ((HeadersFrame)headers).getMetaData().getHttpFields().get("X-Origin"));
            String body = body(h2, 1);
            assertTrue(body.startsWith("GET /echo/fwd\n"), body);
            assertTrue(body.contains("\nvia: 2.0 gh-test\n") || body.contains("\nvia: 2 gh-test\n"), body);
        }
    }

    @Test
    void tunnelsAConnectStream() throws Exception
    {
        try (RawH2 h2 = new RawH2(proxy.port()))
        {
            h2.send(RawH2.connect(1, "127.0.0.1", origin.port()));
            Frame headers = h2.await(f -> f instanceof HeadersFrame || f instanceof ResetFrame, Duration.ofSeconds(10));
            assertTrue(headers instanceof HeadersFrame, "CONNECT answered with " + headers);
            assertEquals(200, RawH2.status(headers));
            String request = "GET /echo/tunnel HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nConnection: close\r\n\r\n";
            h2.send(new DataFrame(1, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)), false));
            String tunnelled = body(h2, 1);
            assertTrue(tunnelled.startsWith("HTTP/1.1 200"), tunnelled);
            assertTrue(tunnelled.contains("GET /echo/tunnel\n"), tunnelled);
        }
    }

    /** DATA of a stream until it ends or the server closes. */
    private static String body(RawH2 h2, int stream) throws InterruptedException
    {
        StringBuilder b = new StringBuilder();
        while (true)
        {
            Frame f = h2.await(x -> (x instanceof DataFrame d && d.getStreamId() == stream) || x == RawH2.CLOSED
                || (x instanceof ResetFrame r && r.getStreamId() == stream), Duration.ofSeconds(10));
            if (!(f instanceof DataFrame d))
                return b.toString();
            b.append(StandardCharsets.UTF_8.decode(d.getByteBuffer()));
            if (d.isEndStream() || b.indexOf("body-bytes:") >= 0 && b.toString().endsWith("\n") && b.indexOf("HTTP/1.1") == 0)
                return b.toString();
        }
    }
}
