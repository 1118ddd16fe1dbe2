package dev.gatehouse.proxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.cli.CliService;
import dev.gatehouse.support.AccessLines;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawH2;
import dev.gatehouse.support.RawHttp;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests through the proxy (absolute-form, HTTP/2 with a foreign authority) versus requests for
 * it: a request through the proxy is forwarded or refused by forward policy and never reaches a
 * local endpoint or a route, whatever its path; the CLI refuses cross-site and rebound requests.
 */
class RequestKindIT
{
    private static final String EXECUTE = "{\"command\":\"mark\",\"args\":[],\"stream\":false}";

    @TempDir
    Path dir;

    /** A CLI whose only command leaves a file behind: its absence proves nothing ran. */
    private Path marker() throws IOException
    {
        Path script = dir.resolve("mark.sh");
        Files.writeString(script, "#!/bin/sh\ntouch " + dir.resolve("ran") + "\necho ran\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private Gatehouse cliProxy(String... more) throws Exception
    {
        String[] base = {"cli.enabled", "true", "cli.commands.mark.path", marker().toString(), "ssrf.allow", "loopback"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Gatehouse.start(all);
    }

    private boolean ran()
    {
        return Files.exists(dir.resolve("ran"));
    }

    @Test
    void absoluteFormRequestForTheCliPathIsForwardedAndRunsNothing() throws Exception
    {
        try (Origin origin = new Origin("elsewhere"); Gatehouse proxy = cliProxy(); AccessLines access = new AccessLines())
        {
            // the JDK's client sends absolute-form through a proxy
            HttpResponse<String> r = Http.via(proxy.port()).send(HttpRequest.newBuilder(URI.create(origin.url() + "/cli/execute"))
                .POST(HttpRequest.BodyPublishers.ofString(EXECUTE)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("elsewhere", r.headers().firstValue("X-Origin").orElse(null), "the destination answered, not the CLI");
            assertTrue(r.body().startsWith("POST /cli/execute\n"), r.body());
            assertEquals(1, origin.requests());

            RawHttp.Reply raw = RawHttp.exchange(proxy.port(), "POST http://127.0.0.1:" + origin.port() + "/cli/commands HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + origin.port() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertEquals("elsewhere", raw.header("X-Origin"), raw.body());
            assertFalse(ran(), "the CLI must not run a program for a forwarded request");

            // the same path addressed to the proxy itself is the CLI
            RawHttp.Reply local = RawHttp.exchange(proxy.port(), "POST /cli/execute HTTP/1.1\r\nHost: 127.0.0.1:" + proxy.port()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + EXECUTE.length() + "\r\nConnection: close\r\n\r\n" + EXECUTE);
            assertEquals(200, local.status(), local.body());
            assertTrue(ran());

            String forwarded = access.await(l -> l.contains("\"request_id\":\"" + raw.header("X-Request-ID") + "\""), Duration.ofSeconds(10));
            assertNotNull(forwarded, access.lines().toString());
            assertTrue(forwarded.contains("\"route\":\"forward\"") && forwarded.contains("\"upstream\":\"http://127.0.0.1:" + origin.port()),
                forwarded);
            String executed = access.await(l -> l.contains("\"request_id\":\"" + local.header("X-Request-ID") + "\""), Duration.ofSeconds(10));
            assertNotNull(executed, access.lines().toString());
            assertTrue(executed.contains("\"route\":\"local\"") && executed.contains("\"upstream\":\"-\""), executed);
        }
    }

    @Test
    void httpsAbsoluteFormForTheCliPathGoesUpstreamOverTls() throws Exception
    {
        try (Origin origin = new Origin("plain"); Gatehouse proxy = cliProxy())
        {
            // the destination speaks plain HTTP, so the TLS handshake upstream fails: 502, and no local run
            RawHttp.Reply r = RawHttp.exchange(proxy.port(), "POST https://127.0.0.1:" + origin.port() + "/cli/execute HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + origin.port() + "\r\nContent-Type: application/json\r\nContent-Length: " + EXECUTE.length()
                + "\r\nConnection: close\r\n\r\n" + EXECUTE);
            assertEquals(502, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":\"UPSTREAM_UNAVAILABLE\""), r.body());
            assertFalse(ran());
        }
    }

    @Test
    void forwardPolicyStillAppliesToAForwardedCliPath() throws Exception
    {
        try (Origin origin = new Origin("elsewhere"); Gatehouse proxy = Gatehouse.start("cli.enabled", "true",
            "cli.commands.mark.path", marker().toString(), "ssrf.allow", ""))
        {
            // no ssrf.allow: loopback destinations are refused by the SSRF guard, as for any forward request
            RawHttp.Reply r = RawHttp.exchange(proxy.port(), "POST http://127.0.0.1:" + origin.port() + "/cli/execute HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + origin.port() + "\r\nContent-Length: " + EXECUTE.length() + "\r\nConnection: close\r\n\r\n" + EXECUTE);
            assertEquals(403, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":\"DESTINATION_FORBIDDEN\""), r.body());
            assertEquals(0, origin.requests());
            assertFalse(ran());
        }
    }

    @Test
    void h2cRequestWithAForeignAuthorityIsForwardedNotRoutedOrExecuted() throws Exception
    {
        try (Origin routed = new Origin("routed"); Origin foreign = new Origin("foreign");
             Gatehouse proxy = cliProxy("routes", "all", "routes.all.targets", routed.url()))
        {
            try (RawH2 h2 = new RawH2(proxy.port()))
            {
                h2.send(new SettingsFrame(Map.of(), false));
                h2.send(RawH2.request(1, "GET", "127.0.0.1", foreign.port(), "/anything", HttpFields.EMPTY, true));
                assertEquals("foreign", originOf(h2, 1), "a foreign :authority is the destination, as in absolute-form");

                h2.send(RawH2.request(3, "POST", "127.0.0.1", foreign.port(), "/cli/execute", HttpFields.build()
                    .put("content-type", "application/json"), true));
                assertEquals("foreign", originOf(h2, 3));

                h2.send(RawH2.request(5, "GET", "127.0.0.1", proxy.port(), "/anything", HttpFields.EMPTY, true));
                assertEquals("routed", originOf(h2, 5), "the proxy's own authority is matched against the routes");
            }
            assertFalse(ran());
            assertEquals(1, routed.requests(), "only the request addressed to the proxy took the route");
        }
    }

    @Test
    void curlOverH2cWithAForeignAuthorityAndThroughTheProxyReachesTheDestination() throws Exception
    {
        Assumptions.assumeTrue(curlAvailable(), "curl is not installed: skipping the curl client checks");
        try (Origin foreign = new Origin("foreign"); Gatehouse proxy = cliProxy("routes", "all", "routes.all.targets", foreign.url()))
        {
            // curl turns Host into :authority over h2c; with -x it sends absolute-form HTTP/1.1
            String h2 = curl("--http2-prior-knowledge", "-H", "Host: 127.0.0.1:" + foreign.port(), "-H", "Content-Type: application/json",
                "--data", EXECUTE, proxy.url() + "/cli/execute");
            assertTrue(h2.startsWith("POST /cli/execute\n"), h2);
            String h1 = curl("-x", proxy.url(), "--data", EXECUTE, "http://127.0.0.1:" + foreign.port() + "/cli/execute");
            assertTrue(h1.startsWith("POST /cli/execute\n"), h1);
            assertEquals(2, foreign.requests());
            assertFalse(ran());
        }
    }

    private static boolean curlAvailable()
    {
        try
        {
            return new ProcessBuilder("curl", "--version").redirectErrorStream(true).start().waitFor() == 0;
        }
        catch (IOException | InterruptedException x)
        {
            return false;
        }
    }

    private static String curl(String... args) throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static String originOf(RawH2 h2, int stream) throws InterruptedException
    {
        Frame headers = h2.await(f -> f instanceof HeadersFrame h && h.getStreamId() == stream, Duration.ofSeconds(10));
        assertNotNull(headers, "no response on stream " + stream);
        assertEquals(200, RawH2.status(headers));
        h2.await(f -> f instanceof DataFrame d && d.getStreamId() == stream && d.isEndStream(), Duration.ofSeconds(10));
        return ((MetaData.Response)((HeadersFrame)headers).getMetaData()).getHttpFields().get("X-Origin");
    }

    @Test
    void absoluteUrisWithOtherSchemesAreBadRequests() throws Exception
    {
        try (Origin origin = new Origin("catch-all"); Gatehouse proxy = Gatehouse.start("routes", "all", "routes.all.targets", origin.url()))
        {
            for (String uri : List.of("ftp://example.com/file", "gopher://example.com/1", "ws://example.com/socket"))
            {
                RawHttp.Reply r = RawHttp.exchange(proxy.port(), "GET " + uri + " HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
                assertEquals(400, r.status(), uri + ": " + r.body());
                assertTrue(r.body().contains("\"code\":\"BAD_REQUEST\""), uri + ": " + r.body());
            }
            assertEquals(0, origin.requests(), "no catch-all route answers a foreign scheme");
        }
    }

    @Test
    void cliRefusesCrossOriginBrowserRequestsUnlessTheOriginIsAllowed() throws Exception
    {
        try (Gatehouse proxy = cliProxy("cli.allowed-origins", "http://ops.test:3000"))
        {
            String url = proxy.url() + "/cli/execute";
            HttpResponse<String> evil = post(url, "Origin", "http://evil.test");
            assertEquals(403, evil.statusCode(), evil.body());
            assertTrue(evil.body().contains("\"code\":\"FORBIDDEN\""), evil.body());
            assertEquals(403, post(url, "Origin", "null").statusCode(), "sandboxed pages send Origin: null");
            assertFalse(ran());
            assertEquals(200, post(url, "Origin", "http://OPS.test:3000").statusCode());
            assertTrue(ran());
        }
    }

    @Test
    void cliRefusesAHostThatDoesNotNameTheProxy() throws Exception
    {
        try (Gatehouse proxy = cliProxy("cli.allowed-hosts", "gatehouse.internal"))
        {
            String rebound = "POST /cli/execute HTTP/1.1\r\nHost: attacker.test:" + proxy.port() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + EXECUTE.length() + "\r\nConnection: close\r\n\r\n" + EXECUTE;
            RawHttp.Reply r = RawHttp.exchange(proxy.port(), rebound);
            assertEquals(403, r.status(), r.body());
            assertTrue(r.body().contains("\"code\":\"FORBIDDEN\""), r.body());
            assertFalse(ran());
            RawHttp.Reply named = RawHttp.exchange(proxy.port(), rebound.replace("attacker.test", "gatehouse.internal"));
            assertEquals(200, named.status(), named.body());
            assertTrue(ran());
        }
    }

    @Test
    void warnsOnceAtStartUpWhenTheCliHasNoToken() throws Exception
    {
        Logger logger = (Logger)LoggerFactory.getLogger(CliService.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try
        {
            try (Gatehouse proxy = cliProxy())
            {
                synchronized (appender)
                {
                    assertEquals(1, appender.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                        && e.getFormattedMessage().contains("without cli.token")).count());
                }
            }
            synchronized (appender)
            {
                appender.list.clear();
            }
            try (Gatehouse proxy = cliProxy("cli.token", "s3cret"))
            {
                synchronized (appender)
                {
                    assertTrue(appender.list.stream().noneMatch(e -> e.getFormattedMessage().contains("without cli.token")));
                }
            }
        }
        finally
        {
            logger.detachAppender(appender);
        }
    }

    private static HttpResponse<String> post(String url, String... headers) throws IOException, InterruptedException
    {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(EXECUTE, StandardCharsets.UTF_8)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2)
            b.header(headers[i], headers[i + 1]);
        return Http.direct().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
