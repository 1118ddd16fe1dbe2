package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.support.Gatehouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.gatehouse.cli.CliSupport.await;
import static dev.gatehouse.cli.CliSupport.events;
import static dev.gatehouse.cli.CliSupport.gone;
import static dev.gatehouse.cli.CliSupport.json;
import static dev.gatehouse.cli.CliSupport.post;
import static dev.gatehouse.cli.CliSupport.postString;
import static dev.gatehouse.cli.CliSupport.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Limits and the life of processes: timeouts, output and memory limits, disconnects, detach, kill, leaks. */
class CliLimitsIT
{
    private static final Pattern RUN_ID = Pattern.compile("\"run_id\":\"([0-9a-f]+)\",\"pid\":(\\d+)");

    @TempDir
    static Path dir;
    static Gatehouse gatehouse;
    static String base;

    @BeforeAll
    static void start() throws Exception
    {
        script(dir, "wait-for.sh", "echo first\nwhile [ ! -e \"$1\" ]; do sleep 0.02; done\necho done");
        script(dir, "spawn.sh", "sleep 300 &\necho $!\nwait");
        script(dir, "spin.sh", "while :; do :; done");
        script(dir, "leave-behind.sh", "sleep 300 &\necho $!");
        script(dir, "stubborn.sh", "trap '' TERM\necho ready\nwhile true; do sleep 0.05; done");
        String python = CliSupport.python();
        gatehouse = Gatehouse.start(
            "cli.enabled", "true",
            "cli.kill-grace", "500ms",
            // heartbeats every second: a vanished client is noticed quickly
            "timeouts.idle", "3s",
            "cli.commands.wait.path", dir.resolve("wait-for.sh").toString(),
            "cli.commands.spawn.path", dir.resolve("spawn.sh").toString(),
            "cli.commands.spin.path", dir.resolve("spin.sh").toString(),
            "cli.commands.spin.max-cpu-seconds", "1",
            "cli.commands.leave.path", dir.resolve("leave-behind.sh").toString(),
            "cli.commands.stubborn.path", dir.resolve("stubborn.sh").toString(),
            "cli.commands.yes.path", "/usr/bin/yes",
            "cli.commands.yes.max-output", "64KB",
            "cli.commands.flood.path", "/usr/bin/yes",
            "cli.commands.flood.max-output", "4GB",
            "cli.commands.true.path", "/bin/true",
            "cli.commands.python.path", python == null ? "/bin/false" : python);
        base = gatehouse.url() + "/cli";
    }

    @AfterAll
    static void stop() throws Exception
    {
        gatehouse.close();
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception
    {
        HttpResponse<InputStream> r = post(base + "/execute", "{\"command\":\"spawn\",\"timeout\":\"1s\"}");
        try (CliSupport.Events ev = new CliSupport.Events(r.body()))
        {
            long child = ev.next().get("pid").asLong();
            long grandchild = Long.parseLong(ev.next().get("data").asText().trim());
            assertFalse(gone(grandchild));
            JsonNode exit = ev.until("stdout", new StringBuilder());
            assertEquals("timeout", exit.get("reason").asText());
            await("child gone", () -> gone(child));
            await("grandchild gone", () -> gone(grandchild));
        }
    }

    @Test
    void processesLeftBehindAreKilledWhenTheProgramEnds() throws Exception
    {
        HttpResponse<InputStream> r = post(base + "/execute", "{\"command\":\"leave\"}");
        try (CliSupport.Events ev = new CliSupport.Events(r.body()))
        {
            ev.next();
            long orphan = Long.parseLong(ev.next().get("data").asText().trim());
            // the background sleep holds stdout open; the run still ends, and takes it along
            JsonNode exit = ev.until("stdout", new StringBuilder());
            assertEquals("exited", exit.get("reason").asText());
            assertEquals(0, exit.get("code").asInt());
            await("orphan gone", () -> gone(orphan));
        }
    }

    @Test
    void timeoutEscalatesToSigkillAfterTheGrace() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"stubborn\",\"timeout\":\"300ms\"}");
        List<JsonNode> ev = events(r.body());
        JsonNode exit = ev.get(ev.size() - 1);
        assertEquals("timeout", exit.get("reason").asText());
        assertEquals(137, exit.get("code").asInt(), "128 + SIGKILL");
        assertTrue(exit.get("duration_ms").asLong() >= 800, "SIGTERM ignored, SIGKILL after the 500ms grace: " + exit);
    }

    @Test
    void requestCannotAskForMoreThanTheConfiguredTimeout() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"true\",\"timeout\":\"1000d\",\"stream\":false}");
        assertEquals(200, r.statusCode());
        assertEquals("exited", json(r.body()).get("reason").asText());
    }

    @Test
    void outputLimitKillsTheRun() throws Exception
    {
        HttpResponse<InputStream> r = post(base + "/execute", "{\"command\":\"yes\"}");
        try (CliSupport.Events ev = new CliSupport.Events(r.body()))
        {
            ev.next();
            StringBuilder out = new StringBuilder();
            JsonNode exit = ev.until("stdout", out);
            assertEquals("output-limit", exit.get("reason").asText());
            assertEquals(64 * 1024, out.length());
        }
        JsonNode doc = json(postString(base + "/execute", "{\"command\":\"yes\",\"stream\":false}").body());
        assertTrue(doc.get("truncated").asBoolean());
        assertEquals(64 * 1024, doc.get("stdout").asText().length());
    }

    @Test
    void memoryLimitKillsTheProgramNotTheProxy() throws Exception
    {
        assumeTrue(CliSupport.python() != null, "python3 is installed by .ci/run");
        HttpResponse<String> r = postString(base + "/execute",
            "{\"command\":\"python\",\"args\":[\"-c\",\"b = bytearray(512 * 1024 * 1024); print('allocated')\"],\"stream\":false}");
        JsonNode doc = json(r.body());
        assertNotEquals(0, doc.get("exit_code").asInt(), r.body());
        assertTrue(doc.get("stderr").asText().contains("MemoryError"), r.body());
        assertFalse(doc.get("stdout").asText().contains("allocated"));
        // the same program within the limit works, and the proxy is fine
        JsonNode small = json(postString(base + "/execute",
            "{\"command\":\"python\",\"args\":[\"-c\",\"b = bytearray(16 * 1024 * 1024); print('allocated')\"],\"stream\":false}").body());
        assertEquals("allocated\n", small.get("stdout").asText(), small.toString());
    }

    @Test
    void cpuLimitStopsABusyLoop() throws Exception
    {
        JsonNode doc = json(postString(base + "/execute", "{\"command\":\"spin\",\"stream\":false}").body());
        assertEquals("exited", doc.get("reason").asText(), doc.toString());
        assertEquals(128 + 24, doc.get("exit_code").asInt(), "SIGXCPU from the kernel: " + doc);
    }

    @Test
    void aClientThatDoesNotReadStallsTheProgramInsteadOfFillingMemory() throws Exception
    {
        Meter bytesOut = gatehouse.server().application().metrics().meter("gatehouse.cli.output-bytes");
        long pid;
        try (Socket s = new Socket())
        {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", gatehouse.port()));
            s.setSoTimeout(20_000);
            String json = "{\"command\":\"flood\"}";
            s.getOutputStream().write(("POST /cli/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length() + "\r\n\r\n" + json).getBytes(StandardCharsets.UTF_8));
            pid = pidOf(CliSupport.readUntil(s.getInputStream(), "\"type\":\"stdout\""));
            // yes writes gigabytes a second; with the client not reading, the readers block and the output stops growing
            long[] last = {-1};
            await("output stalled", () ->
            {
                long now = bytesOut.getCount();
                boolean stalled = now == last[0];
                last[0] = now;
                sleepQuietly(200);
                return stalled;
            });
            assertTrue(bytesOut.getCount() < 64L << 20, "bounded by the client queue and socket buffers: " + bytesOut.getCount());
            assertFalse(gone(pid), "blocked on its pipe, not killed");
            // reading resumes the flow
            long stalledAt = bytesOut.getCount();
            byte[] buf = new byte[1 << 16];
            long read = 0;
            while (read < 8L << 20)
                read += Math.max(0, s.getInputStream().read(buf));
            assertTrue(bytesOut.getCount() > stalledAt);
        }
        await("run killed after the client left", () -> gone(pid));
    }

    private static void sleepQuietly(long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void clientDisconnectKillsTheRun() throws Exception
    {
        long pid;
        try (Socket s = startRaw("{\"command\":\"wait\",\"args\":[\"/nonexistent/latch\"]}"))
        {
            pid = pidOf(CliSupport.readUntil(s.getInputStream(), "\"data\":\"first\\n\""));
            assertFalse(gone(pid));
        }
        await("run killed after the client left", () -> gone(pid));
    }

    @Test
    void detachedRunSurvivesTheClientAndCanBeReattached() throws Exception
    {
        Path latch = dir.resolve("latch-" + System.nanoTime());
        String id;
        long pid;
        try (Socket s = startRaw("{\"command\":\"wait\",\"detach\":true,\"args\":[" + CliApiIT.quote(latch.toString()) + "]}"))
        {
            Matcher m = RUN_ID.matcher(CliSupport.readUntil(s.getInputStream(), "\"data\":\"first\\n\""));
            assertTrue(m.find());
            id = m.group(1);
            pid = Long.parseLong(m.group(2));
        }
        // a non-detached run whose client leaves at the same time is killed within a heartbeat; by then
        // the detached run's disconnect has been noticed too
        long witness;
        try (Socket s = startRaw("{\"command\":\"wait\",\"args\":[\"/nonexistent/latch\"]}"))
        {
            witness = pidOf(CliSupport.readUntil(s.getInputStream(), "\"data\":\"first\\n\""));
        }
        await("the witness run killed", () -> gone(witness));
        assertFalse(gone(pid), "a detached run outlives its client");

        HttpResponse<InputStream> r = CliSupport.CLIENT.send(HttpRequest.newBuilder(
            URI.create(base + "/runs/" + id)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (CliSupport.Events ev = new CliSupport.Events(r.body()))
        {
            assertEquals(id, ev.next().get("run_id").asText());
            assertEquals("first\n", ev.next().get("data").asText(), "replayed");
            Files.createFile(latch);
            assertEquals("done\n", ev.next().get("data").asText(), "live");
            assertEquals("exited", ev.next().get("reason").asText());
        }
    }

    @Test
    void deleteKillsARun() throws Exception
    {
        String id;
        long pid;
        try (Socket s = startRaw("{\"command\":\"wait\",\"detach\":true,\"args\":[\"/nonexistent/latch\"]}"))
        {
            Matcher m = RUN_ID.matcher(CliSupport.readUntil(s.getInputStream(), "\"data\":\"first\\n\""));
            assertTrue(m.find());
            id = m.group(1);
            pid = Long.parseLong(m.group(2));
        }
        HttpResponse<String> d = CliSupport.send("DELETE", base + "/runs/" + id);
        assertEquals(202, d.statusCode());
        assertEquals("killing", json(d.body()).get("state").asText());
        await("deleted run gone", () -> gone(pid));
        List<JsonNode> replay = events(CliSupport.send("GET", base + "/runs/" + id).body());
        assertEquals("killed", replay.get(replay.size() - 1).get("reason").asText());
    }

    @Test
    void thousandRunsLeakNoDescriptorsOrThreads() throws Exception
    {
        for (int i = 0; i < 20; i++)
            runTrue();
        long fds = openFds();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 1000; i++)
            runTrue();
        await("descriptors back to baseline (" + fds + ")", () -> openFds() <= fds + 5);
        await("threads back to baseline (" + threads + ")", () -> ManagementFactory.getThreadMXBean().getThreadCount() <= threads + 5);
        MetricRegistry metrics = gatehouse.server().application().metrics();
        assertTrue(metrics.counter("gatehouse.cli.runs.finished.true.exited").getCount() >= 1020);
        assertTrue(metrics.counter("gatehouse.cli.runs.started.true").getCount() >= 1020);
        Gauge<?> running = metrics.getGauges().get("gatehouse.cli.runs.running");
        await("no slot leaked (running " + running.getValue() + ")", () -> ((Number)running.getValue()).intValue() == 0);
    }

    private static void runTrue() throws Exception
    {
        HttpResponse<String> r = postString(base + "/execute", "{\"command\":\"true\",\"stream\":false}");
        assertEquals(200, r.statusCode(), r.body());
    }

    private static long openFds()
    {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd")))
        {
            return s.count();
        }
        catch (IOException x)
        {
            throw new UncheckedIOException(x);
        }
    }

    private static Socket startRaw(String json) throws Exception
    {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Socket s = CliSupport.raw(gatehouse.port(), "POST /cli/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n" + json);
        return s;
    }

    private static long pidOf(String seen)
    {
        Matcher m = RUN_ID.matcher(seen);
        assertTrue(m.find(), seen);
        return Long.parseLong(m.group(2));
    }
}
