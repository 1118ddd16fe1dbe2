package dev.gatehouse.cli;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.http.Json;
import dev.gatehouse.support.Gatehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.gatehouse.cli.CliSupport.events;
import static dev.gatehouse.cli.CliSupport.json;
import static dev.gatehouse.cli.CliSupport.post;
import static dev.gatehouse.cli.CliSupport.postString;
import static dev.gatehouse.cli.CliSupport.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI API as a client sees it, through the real embedded proxy and real programs. */
class CliApiIT
{
    @TempDir
    static Path dir;
    static Gatehouse gatehouse;
    static String base;

    @BeforeAll
    static void start() throws Exception
    {
        script(dir, "wait-for.sh", "echo first\nwhile [ ! -e \"$1\" ]; do sleep 0.02; done\necho done");
        script(dir, "split-utf8.sh", "printf '\\342\\202'\nsleep 0.3\nprintf '\\254\\n'");
        script(dir, "bytes.sh", "printf '\\377\\000\\001'");
        script(dir, "both.sh", "echo out\necho err >&2\nexit 3");
        gatehouse = Gatehouse.start(
            "cli.enabled", "true",
            "cli.env.allowed", "CUSTOM_VAR",
            "cli.working-dir", dir.toString(),
            "cli.commands.echo.path", "/bin/echo",
            "cli.commands.cat.path", "/bin/cat",
            "cli.commands.env.path", "/usr/bin/env",
            "cli.commands.wait.path", dir.resolve("wait-for.sh").toString(),
            "cli.commands.utf8.path", dir.resolve("split-utf8.sh").toString(),
            "cli.commands.bytes.path", dir.resolve("bytes.sh").toString(),
            "cli.commands.both.path", dir.resolve("both.sh").toString(),
            "cli.commands.letters.path", "/bin/echo",
            "cli.commands.letters.args-pattern", "[a-z]+");
        base = gatehouse.url() + "/cli";
    }

    @AfterAll
    static void stop() throws Exception
    {
        gatehouse.close();
    }

    @Test
    void streamsOutputBeforeTheProcessExits() throws Exception
    {
        Path latch = dir.resolve("latch-" + System.nanoTime());
        HttpResponse<InputStream> r = post(base + "/execute", "{\"command\":\"wait\",\"args\":[" + quote(latch.toString()) + "]}");
        assertEquals(200, r.statusCode());
        assertEquals("application/x-ndjson", r.headers().firstValue("Content-Type").orElse(""));
        try (CliSupport.Events ev = new CliSupport.Events(r.body()))
        {
            JsonNode start = ev.next();
            assertEquals("start", start.get("type").asText());
            assertEquals(16, start.get("run_id").asText().length());
            assertTrue(start.get("pid").asLong() > 0);
            JsonNode first = ev.next();
            // the program is still waiting for the latch file: this event cannot come from its exit
            assertEquals("stdout", first.get("type").asText());
            assertEquals("first\n", first.get("data").asText());
            assertFalse(CliSupport.gone(start.get("pid").asLong()));
            Files.createFile(latch);
            StringBuilder out = new StringBuilder();
            JsonNode exit = ev.until("stdout", out);
            assertEquals("done\n", out.toString());
            assertEquals(0, exit.get("code").asInt());
            assertEquals("exited", exit.get("reason").asText());
            assertTrue(exit.get("duration_ms").asLong() >= 0);
            assertEquals(null, ev.next());
        }
    }

    @Test
    void ndjsonCarriesStdoutStderrAndExitCode() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"both\"}");
        assertEquals(200, r.statusCode());
        List<JsonNode> ev = events(r.body());
        assertEquals("start", ev.get(0).get("type").asText());
        assertTrue(ev.stream().anyMatch(e -> e.get("type").asText().equals("stdout") && e.get("data").asText().equals("out\n")), r.body());
        assertTrue(ev.stream().anyMatch(e -> e.get("type").asText().equals("stderr") && e.get("data").asText().equals("err\n")), r.body());
        JsonNode exit = ev.get(ev.size() - 1);
        assertEquals("exit", exit.get("type").asText());
        assertEquals(3, exit.get("code").asInt());
        assertTrue(r.body().endsWith("}\n"));
    }

    @Test
    void serverSentEventsOnRequest() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"echo\",\"args\":[\"hi\"]}", "Accept", "text/event-stream");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        String[] blocks = r.body().split("\n\n");
        assertTrue(blocks[0].startsWith("event: start\ndata: {\"type\":\"start\""), r.body());
        assertEquals("event: stdout\ndata: {\"type\":\"stdout\",\"data\":\"hi\\n\"}", blocks[1]);
        assertTrue(blocks[2].startsWith("event: exit\ndata: {\"type\":\"exit\",\"code\":0,"), r.body());
    }

    @Test
    void nonStreamingAnswersOneDocument() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"both\",\"stream\":false}");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonNode doc = json(r.body());
        assertEquals("out\n", doc.get("stdout").asText());
        assertEquals("err\n", doc.get("stderr").asText());
        assertEquals(3, doc.get("exit_code").asInt());
        assertFalse(doc.get("truncated").asBoolean());
        assertTrue(doc.has("duration_ms"));
    }

    @Test
    void base64GivesRawBytes() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"bytes\",\"encoding\":\"base64\",\"stream\":false}");
        assertEquals(200, r.statusCode(), r.body());
        byte[] raw = Base64.getDecoder().decode(json(r.body()).get("stdout").asText());
        assertEquals(List.of((byte)0xff, (byte)0, (byte)1), List.of(raw[0], raw[1], raw[2]));
        assertEquals(3, raw.length);
    }

    @Test
    void neverSplitsAMultiByteCharacterAcrossEvents() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"utf8\"}");
        List<JsonNode> ev = events(r.body());
        StringBuilder all = new StringBuilder();
        for (JsonNode e : ev)
        {
            if (e.get("type").asText().equals("stdout"))
            {
                assertFalse(e.get("data").asText().contains("\uFFFD"), r.body());
                all.append(e.get("data").asText());
            }
        }
        assertEquals("\u20ac\n", all.toString());
    }

    @Test
    void feedsStdinFromTheRequest() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"cat\",\"stdin\":\"input data\\n\",\"stream\":false}");
        assertEquals("input data\n", json(r.body()).get("stdout").asText(), r.body());
    }

    @Test
    void childGetsAMinimalEnvironmentPlusAllowedVariables() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"env\",\"env\":{\"CUSTOM_VAR\":\"v\"},\"stream\":false}");
        String env = json(r.body()).get("stdout").asText();
        assertTrue(env.contains("CUSTOM_VAR=v\n"), env);
        assertTrue(env.contains("PATH=/usr/local/bin:/usr/bin:/bin\n"), env);
        assertTrue(env.contains("HOME=" + dir + "\n"), env);
        assertEquals(4, env.split("\n").length, "PATH, LANG, HOME and CUSTOM_VAR only: " + env);
    }

    @Test
    void refusesEnvironmentVariablesNotAllowed() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"env\",\"env\":{\"LD_PRELOAD\":\"/tmp/x.so\"}}");
        assertEquals(400, r.statusCode());
        assertEquals("BAD_REQUEST", json(r.body()).get("error").get("code").asText());
    }

    @Test
    void refusesUndeclaredCommands() throws Exception
    {
        for (String command : List.of("sh", "/bin/sh", "../bin/echo", "ECHO"))
        {
            HttpResponse<String> r = postString(base + "/execute", "{\"command\":" + quote(command) + ",\"args\":[\"-c\",\"id\"]}");
            assertEquals(403, r.statusCode(), command);
            assertEquals("CLI_COMMAND_NOT_ALLOWED", json(r.body()).get("error").get("code").asText());
        }
    }

    @Test
    void acceptsTheExactDeclaredPath() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"/bin/cat\",\"stdin\":\"x\",\"stream\":false}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("x", json(r.body()).get("stdout").asText());
    }

    @Test
    void refusesArgumentsOutsideTheArgsPattern() throws Exception
    {
        assertEquals(200, postString(base + "/execute", "{\"command\":\"letters\",\"args\":[\"abc\"],\"stream\":false}").statusCode());
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"letters\",\"args\":[\"abc\",\"a b\"]}");
        assertEquals(403, r.statusCode());
        assertEquals("CLI_COMMAND_NOT_ALLOWED", json(r.body()).get("error").get("code").asText());
    }

    @Test
    void passesShellMetacharactersLiterally() throws Exception
    {
        String[] args = {"a;b", "$(id)", "`id`", "*", "|", "&&", "$HOME", ">x"};
        StringBuilder json = new StringBuilder("{\"command\":\"echo\",\"stream\":false,\"args\":[");
        for (int i = 0; i < args.length; i++)
            json.append(i == 0 ? "" : ",").append(quote(args[i]));
        HttpResponse<String> r = postString(base + "/execute", json.append("]}").toString());
        assertEquals(String.join(" ", args) + "\n", json(r.body()).get("stdout").asText());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void refusesMalformedRequests() throws Exception
    {
        for (String body : List.of("not json", "[]", "{\"command\":\"echo\",\"unknown\":1}", "{\"args\":[]}",
            "{\"command\":\"echo\",\"args\":[1]}", "{\"command\":\"echo\",\"timeout\":\"soon\"}"))
        {
            HttpResponse<String> r = postString(base + "/execute", body);
            assertEquals(400, r.statusCode(), body);
            assertEquals("BAD_REQUEST", json(r.body()).get("error").get("code").asText());
        }
    }

    @Test
    void listsTheCommands() throws Exception
    {
        HttpResponse<String> r = CliSupport.send("GET", base + "/commands");
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r.body());
        JsonNode letters = null;
        for (JsonNode c : doc.get("commands"))
        {
            if (c.get("name").asText().equals("letters"))
                letters = c;
        }
        assertNotNull(letters, r.body());
        assertEquals("/bin/echo", letters.get("path").asText());
        assertEquals("[a-z]+", letters.get("args_pattern").asText());
        assertEquals(60_000, letters.get("timeout_ms").asLong());
        assertEquals(10, doc.get("max_concurrent").asInt());
    }

    @Test
    void runStreamsTheBodyToStdinWhileOutputFlowsBack() throws Exception
    {
        try (Socket s = CliSupport.raw(gatehouse.port(), "POST /cli/run/cat HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Transfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n"))
        {
            InputStream in = s.getInputStream();
            s.getOutputStream().write("6\r\nhello\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // the echo of the first line comes back while the upload is still open
            String seen = CliSupport.readUntil(in, "\"data\":\"hello\\n\"");
            assertTrue(seen.startsWith("HTTP/1.1 200"), seen);
            s.getOutputStream().write("6\r\nworld\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            CliSupport.readUntil(in, "\"data\":\"world\\n\"");
            s.getOutputStream().write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            CliSupport.readUntil(in, "\"type\":\"exit\",\"code\":0");
        }
    }

    @Test
    void runTakesArgumentsFromTheQuery() throws Exception
    {
        HttpResponse<String> r = postString(base + "/run/echo?arg=a%20b&arg=c", "");
        List<JsonNode> ev = events(r.body());
        assertEquals("a b c\n", ev.get(1).get("data").asText(), r.body());
    }

    @Test
    void unknownRunIs404() throws Exception
    {
        HttpResponse<String> r = CliSupport.send("GET", base + "/runs/0123456789abcdef");
        assertEquals(404, r.statusCode());
        assertEquals("CLI_RUN_NOT_FOUND", json(r.body()).get("error").get("code").asText());
        assertEquals(404, CliSupport.send("GET", base + "/nothing").statusCode());
        assertEquals(405, CliSupport.send("GET", base + "/execute").statusCode());
    }

    static String quote(String s)
    {
        return Json.quote(s);
    }
}
