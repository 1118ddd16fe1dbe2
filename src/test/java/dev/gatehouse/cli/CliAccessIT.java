package dev.gatehouse.cli;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.codahale.metrics.Gauge;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.SecurityEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static dev.gatehouse.cli.CliSupport.await;
import static dev.gatehouse.cli.CliSupport.gone;
import static dev.gatehouse.cli.CliSupport.json;
import static dev.gatehouse.cli.CliSupport.post;
import static dev.gatehouse.cli.CliSupport.postString;
import static dev.gatehouse.cli.CliSupport.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may use the CLI, how many at once, and what happens to children when the proxy stops. */
class CliAccessIT
{
    @TempDir
    Path dir;

    @Test
    void disabledByDefault() throws Exception
    {
        try (Gatehouse g = Gatehouse.start())
        {
            HttpResponse<String> r = postString(g.url() + "/cli/execute", "{\"command\":\"echo\"}");
            assertEquals(404, r.statusCode());
            assertEquals(404, CliSupport.send("GET", g.url() + "/cli/commands").statusCode());
        }
    }

    @Test
    void requiresTheBearerTokenWhenSet() throws Exception
    {
        try (Gatehouse g = Gatehouse.start("cli.enabled", "true", "cli.token", "s3cret", "cli.commands.echo.path", "/bin/echo");
             SecurityEvents security = new SecurityEvents())
        {
            String url = g.url() + "/cli/execute";
            String body = "{\"command\":\"echo\",\"args\":[\"hi\"],\"stream\":false}";
            HttpResponse<String> none = postString(url, body);
            assertEquals(401, none.statusCode());
            assertEquals("UNAUTHORIZED", json(none.body()).get("error").get("code").asText());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, postString(url, body, "Authorization", "Bearer wrong").statusCode());
            assertEquals(401, CliSupport.send("GET", g.url() + "/cli/commands", "Authorization", "Basic czNjcmV0").statusCode());
            HttpResponse<String> ok = postString(url, body, "Authorization", "Bearer s3cret");
            assertEquals(200, ok.statusCode());
            assertEquals("hi\n", json(ok.body()).get("stdout").asText());
            assertEquals(3, security.withReason("cli-token").size());
        }
    }

    @Test
    void refusesClientsOutsideTheCliAcl() throws Exception
    {
        try (Gatehouse g = Gatehouse.start("cli.enabled", "true", "cli.acl.allow", "10.0.0.0/8", "cli.commands.echo.path", "/bin/echo"))
        {
            HttpResponse<String> r = postString(g.url() + "/cli/execute", "{\"command\":\"echo\"}");
            assertEquals(403, r.statusCode());
            assertEquals("ACL_DENIED", json(r.body()).get("error").get("code").asText());
        }
    }

    @Test
    void proxyPolicyFiltersRunInFrontButTheForwardAclDoesNot() throws Exception
    {
        // acl.allow guards forward proxying; the CLI has its own cli.acl.allow. Rate limits apply to everything.
        try (Gatehouse g = Gatehouse.start("cli.enabled", "true", "acl.allow", "10.0.0.0/8", "ratelimit.requests-per-second", "0.001",
            "ratelimit.burst", "1", "cli.commands.echo.path", "/bin/echo"))
        {
            String body = "{\"command\":\"echo\",\"stream\":false}";
            assertEquals(200, postString(g.url() + "/cli/execute", body).statusCode());
            HttpResponse<String> limited = postString(g.url() + "/cli/execute", body);
            assertEquals(429, limited.statusCode());
            assertEquals("RATE_LIMITED", json(limited.body()).get("error").get("code").asText());
        }
        try (Gatehouse g = Gatehouse.start("cli.enabled", "true", "acl.deny", "127.0.0.1", "cli.commands.echo.path", "/bin/echo"))
        {
            HttpResponse<String> denied = postString(g.url() + "/cli/execute", "{\"command\":\"echo\"}");
            assertEquals(403, denied.statusCode(), "acl.deny always wins");
        }
    }

    @Test
    void busyBeyondMaxConcurrentAndTheQueue() throws Exception
    {
        script(dir, "wait-for.sh", "echo first\nwhile [ ! -e \"$1\" ]; do sleep 0.02; done\necho done");
        Path latch = dir.resolve("latch");
        try (Gatehouse g = Gatehouse.start("cli.enabled", "true", "cli.max-concurrent", "1", "cli.queue", "1",
            "cli.commands.wait.path", dir.resolve("wait-for.sh").toString(), "cli.commands.echo.path", "/bin/echo"))
        {
            String url = g.url() + "/cli/execute";
            HttpResponse<InputStream> first = post(url, "{\"command\":\"wait\",\"args\":[" + CliApiIT.quote(latch.toString()) + "]}");
            CliSupport.Events ev = new CliSupport.Events(first.body());
            ev.next();
            assertEquals("first\n", ev.next().get("data").asText());
            // the second waits in the queue (holding no thread) ...
            CompletableFuture<HttpResponse<String>> queued = CliSupport.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"echo\",\"args\":[\"queued\"],\"stream\":false}")).build(),
                HttpResponse.BodyHandlers.ofString());
            Gauge<?> waiting = g.server().application().metrics().getGauges().get("gatehouse.cli.runs.queued");
            await("second request queued", () -> ((Number)waiting.getValue()).intValue() == 1);
            // ... and the third finds slot and queue full
            HttpResponse<String> busy = postString(url, "{\"command\":\"echo\"}");
            assertEquals(429, busy.statusCode());
            assertEquals("CLI_BUSY", json(busy.body()).get("error").get("code").asText());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
            assertFalse(queued.isDone());
            Files.createFile(latch);
            assertEquals("exited", ev.until("stdout", new StringBuilder()).get("reason").asText());
            ev.close();
            HttpResponse<String> second = queued.get(20, TimeUnit.SECONDS);
            assertEquals("queued\n", json(second.body()).get("stdout").asText());
            assertEquals(1, g.server().application().metrics().counter("gatehouse.cli.rejections.cli-busy").getCount());
        }
    }

    @Test
    void stoppingTheProxyKillsEveryChild() throws Exception
    {
        script(dir, "sleeper.sh", "echo up\nsleep 300");
        Gatehouse g = Gatehouse.start("cli.enabled", "true", "cli.commands.sleeper.path", dir.resolve("sleeper.sh").toString(),
            "shutdown.grace", "120s");
        String json = "{\"command\":\"sleeper\",\"detach\":true}";
        try (Socket s = CliSupport.raw(g.port(), "POST /cli/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + json.length() + "\r\n\r\n" + json))
        {
            String seen = CliSupport.readUntil(s.getInputStream(), "\"data\":\"up\\n\"");
            Matcher m = Pattern.compile("\"pid\":(\\d+)").matcher(seen);
            assertTrue(m.find());
            long pid = Long.parseLong(m.group(1));
            long t0 = System.nanoTime();
            g.close();
            assertTrue(gone(pid), "killed by the time stop returns");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 60, "the stream ended; no wait for the 120 s drain");
            CliSupport.readUntil(s.getInputStream(), "\"reason\":\"killed\"");
        }
    }

    @Test
    void auditsEveryRunAtStartAndExitWithRedactedArguments() throws Exception
    {
        ch.qos.logback.classic.Logger audit = (ch.qos.logback.classic.Logger)LoggerFactory.getLogger(CliService.AUDIT_LOGGER);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        ch.qos.logback.classic.Level level = audit.getLevel();
        audit.setLevel(ch.qos.logback.classic.Level.INFO);
        audit.addAppender(lines);
        try (Gatehouse g = Gatehouse.start("cli.enabled", "true", "cli.commands.echo.path", "/bin/echo"))
        {
            HttpResponse<String> r = postString(g.url() + "/cli/execute",
                "{\"command\":\"echo\",\"args\":[\"--password=hunter2\",\"visible\"],\"stream\":false}");
            String id = json(r.body()).get("run_id").asText();
            Supplier<List<String>> ofRun = () ->
            {
                synchronized (lines)
                {
                    return lines.list.stream().map(e -> e.getFormattedMessage()).filter(l -> l.contains("run_id=" + id + " ")).toList();
                }
            };
            await("two audit lines", () -> ofRun.get().size() == 2);
            String started = ofRun.get().get(0);
            String finished = ofRun.get().get(1);
            assertTrue(started.startsWith("cli run started run_id=" + id + " client=127.0.0.1 command=echo"), started);
            assertTrue(started.contains("args=\"--password=*** visible\""), started);
            assertTrue(finished.contains("exit_code=0 reason=exited"), finished);
            assertTrue(finished.contains("bytes_out=27"), finished);
            assertFalse(started.contains("hunter2") || finished.contains("hunter2"));
        }
        finally
        {
            audit.detachAppender(lines);
            audit.setLevel(level);
        }
    }
}
