package dev.gatehouse.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import dev.gatehouse.support.Certificates;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The packaged jar, run exactly as users run it: {@code java -jar target/gatehouse.jar ...}. */
class JarCommandLineIT
{
    @TempDir
    Path dir;

    record Run(int exit, String stdout, String stderr)
    {
    }

    static Path jar()
    {
        Path jar = Path.of(System.getProperty("it.jar", "target/gatehouse.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
        return jar;
    }

    static ProcessBuilder java(Map<String, String> env, String... args)
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        pb.environment().putAll(env);
        return pb;
    }

    static Run run(Map<String, String> env, String... args) throws Exception
    {
        Process p = java(env, args).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "process should exit by itself");
        return new Run(p.exitValue(), out.get(), err.get());
    }

    static String read(InputStream in)
    {
        try
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException x)
        {
            return "";
        }
    }

    static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception
    {
        Run run = run(Map.of(), "--help");
        assertEquals(0, run.exit());
        assertTrue(run.stdout().contains("Usage: java -jar gatehouse.jar"), run.stdout());
        assertTrue(run.stdout().contains("--config FILE"));
    }

    @Test
    void theLauncherRunsTheJarWithItsJvmDefaults() throws Exception
    {
        ProcessBuilder pb = new ProcessBuilder(Path.of("bin", "gatehouse").toAbsolutePath().toString(), "--proxy.prot=1");
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_") || k.equals("JAVA_OPTS"));
        pb.environment().put("GATEHOUSE_JAR", jar().toAbsolutePath().toString());
        pb.environment().put("JAVA_OPTS", "-XX:+UseG1GC -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -XX:+PrintCommandLineFlags");
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), "the jar's own exit status comes through the launcher");
        assertTrue(err.get().contains("proxy.prot"), err.get());
        assertTrue(out.get().contains("-XX:+UseG1GC") && out.get().contains("-XX:+ExitOnOutOfMemoryError"), out.get());
        String script = Files.readString(Path.of("bin", "gatehouse"));
        assertTrue(script.contains("JAVA_OPTS=${JAVA_OPTS:--XX:+UseG1GC -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError}"),
            "the defaults the docs describe");
    }

    @Test
    void unknownKeyExitsTwoNamingIt() throws Exception
    {
        Run run = run(Map.of(), "--proxy.prot=8181");
        assertEquals(2, run.exit());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("proxy.prot") && run.stderr().contains("did you mean 'proxy.port'"), run.stderr());
    }

    @Test
    void portOutOfRangeExitsTwoNamingKeyAndValue() throws Exception
    {
        Run run = run(Map.of(), "--proxy.port=70000");
        assertEquals(2, run.exit());
        assertTrue(run.stderr().contains("proxy.port") && run.stderr().contains("'70000'"), run.stderr());
    }

    @Test
    void badConfigFileExitsTwo() throws Exception
    {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "routes=api\nroutes.api.match.path=/api/\n");
        Run run = run(Map.of(), "--config", file.toString());
        assertEquals(2, run.exit());
        assertTrue(run.stderr().contains("routes.api.targets"), run.stderr());
        Run badDuration = run(Map.of("GATEHOUSE_TIMEOUTS_IDLE", "30 seconds"));
        assertEquals(2, badDuration.exit());
        assertTrue(badDuration.stderr().contains("timeouts.idle") && badDuration.stderr().contains("'30 seconds'"), badDuration.stderr());
    }

    @Test
    void wrongKeystorePasswordExitsTwoNamingTheKey() throws Exception
    {
        Path keystore = new Certificates(Files.createDirectories(dir.resolve("certs"))).issue("jar", "localhost", "dns:localhost");
        Run run = run(Map.of(), "--tls.enabled=true", "--tls.port=0", "--proxy.port=0", "--admin.port=0", "--tls.keystore=" + keystore,
            "--tls.keystore-password=wrong");
        assertEquals(2, run.exit(), run.stderr());
        assertTrue(run.stderr().contains("tls.keystore-password") && run.stderr().contains("wrong password"), run.stderr());
        assertTrue(!run.stderr().contains("'wrong'") && !run.stdout().contains("'wrong'"), "the password is not printed");
    }

    @Test
    void tlsSelfSignedServesH2OverTlsWithALoudWarning() throws Exception
    {
        try (Origin origin = new Origin("jar-tls"))
        {
            int tlsPort = freePort();
            int adminPort = freePort();
            Path log = dir.resolve("tls-out.log");
            Process p = java(Map.of(), "--tls-self-signed", "--tls.port=" + tlsPort, "--proxy.port=0", "--admin.port=" + adminPort,
                "--routes=app", "--routes.app.targets=" + origin.url()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try
            {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int status = 0;
                while (status != 200 && System.nanoTime() < deadline && p.isAlive())
                {
                    try
                    {
                        status = Http.get(Http.direct(), "http://127.0.0.1:" + adminPort + "/health/readiness").statusCode();
                    }
                    catch (IOException notYet)
                    {
                        Poll.pause();
                    }
                }
                assertEquals(200, status, Files.readString(log));
                SSLContext trustAll = Certificates.trustAll();
                HttpClient client = HttpClient.newBuilder().sslContext(trustAll)
                    .version(HttpClient.Version.HTTP_2).build();
                HttpResponse<String> r = Http.get(client, "https://localhost:" + tlsPort + "/echo");
                assertEquals(200, r.statusCode());
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                String out = Files.readString(log);
                assertTrue(out.contains("THROWAWAY SELF-SIGNED") && out.contains("\"level\":\"WARN\""), out);
                assertTrue(out.contains("TLS listener on https://127.0.0.1:" + tlsPort + "/"), out);
            }
            finally
            {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void runsFromFileWithEnvironmentAndCommandLineOverridesAndStopsGracefullyOnSigterm() throws Exception
    {
        try (Origin origin = new Origin("jar"))
        {
            int proxyPort = freePort();
            int adminPort = freePort();
            Path file = dir.resolve("gatehouse.properties");
            Files.writeString(file, String.join("\n",
                "proxy.port=1", // overridden by the environment
                "admin.port=2", // overridden by the command line
                "proxy.id=from-file",
                "shutdown.grace=10s",
                "routes=app",
                "routes.app.targets=" + origin.url(), ""));
            Process p = java(Map.of("GATEHOUSE_CONFIG", file.toString(), "GATEHOUSE_PROXY_PORT", Integer.toString(proxyPort),
                "GATEHOUSE_ADMIN_PORT", "3"), "--admin.port=" + adminPort).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
            try
            {
                String admin = "http://127.0.0.1:" + adminPort;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int status = 0;
                while (status != 200 && System.nanoTime() < deadline && p.isAlive())
                {
                    try
                    {
                        status = Http.get(Http.direct(), admin + "/health/readiness").statusCode();
                    }
                    catch (IOException notYet)
                    {
                        Poll.pause();
                    }
                }
                assertEquals(200, status, Files.readString(dir.resolve("out.log")));
                HttpResponse<String> echo = Http.get(Http.direct(), "http://127.0.0.1:" + proxyPort + "/echo");
                assertEquals(200, echo.statusCode());
                assertEquals("from-file", echo.headers().firstValue("X-Proxy-ID").orElse(null));
                // the access line is written while the proxy runs, not when a buffer fills
                awaitLogLine(dir.resolve("out.log"), "\"url\":\"/echo\"", deadline);

                CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        return Http.get(Http.direct(), "http://127.0.0.1:" + proxyPort + "/slow?ms=1500");
                    }
                    catch (Exception x)
                    {
                        throw new RuntimeException(x);
                    }
                });
                while (origin.requests() < 2 && System.nanoTime() < deadline)
                    Poll.pause();
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(20, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.log")));
                HttpResponse<String> slow = inFlight.get(10, TimeUnit.SECONDS);
                assertEquals(200, slow.statusCode());
                assertEquals("slow", slow.body());
                // nothing queued is lost at exit: the drained request's line and the last line of the stop
                String log = Files.readString(dir.resolve("out.log"));
                assertTrue(log.contains("\"url\":\"/slow?ms=1500\"") && log.contains("\"message\":\"Stopped\""), log);
            }
            finally
            {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void anIdleProxysLogThreadTakesNoCpu() throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "reads per-thread CPU time from /proc");
        try (Origin origin = new Origin("idle"))
        {
            int proxyPort = freePort();
            int adminPort = freePort();
            Process p = java(Map.of(), "--proxy.port=" + proxyPort, "--admin.port=" + adminPort, "--routes=app",
                "--routes.app.targets=" + origin.url()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
            try
            {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!ready(adminPort) && System.nanoTime() < deadline && p.isAlive())
                    Poll.pause();
                assertEquals(200, Http.get(Http.direct(), "http://127.0.0.1:" + proxyPort + "/echo").statusCode(),
                    Files.readString(dir.resolve("out.log")));
                awaitLogLine(dir.resolve("out.log"), "\"url\":\"/echo\"", deadline);

                // the access log's consumer thread, with no traffic for two seconds
                long before = logThreadTicks(p.pid());
                long start = System.nanoTime();
                Thread.sleep(2000); // the idle window being measured
                long ticks = logThreadTicks(p.pid()) - before;
                double seconds = (System.nanoTime() - start) / 1e9;
                // 100 ticks a second per core: a thread that polls spends tens of ticks here, a parked one none
                assertTrue(ticks <= 10, "the log thread used " + ticks + " ticks of CPU in " + seconds + " s of idleness");
            }
            finally
            {
                p.destroyForcibly();
            }
        }
    }

    /** Polls the process's output until it contains the text, or fails at the deadline showing the output. */
    private static void awaitLogLine(Path log, String text, long deadline) throws Exception
    {
        while (!Files.readString(log).contains(text) && System.nanoTime() < deadline)
            Poll.pause();
        assertTrue(Files.readString(log).contains(text), Files.readString(log));
    }

    private static boolean ready(int adminPort)
    {
        try
        {
            return Http.get(Http.direct(), "http://127.0.0.1:" + adminPort + "/health/readiness").statusCode() == 200;
        }
        catch (Exception notYet)
        {
            return false;
        }
    }

    /** User plus system clock ticks of the process's logback threads, from /proc/PID/task/TID/stat. */
    private static long logThreadTicks(long pid) throws IOException
    {
        long ticks = 0;
        int threads = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (Path task : tasks)
            {
                if (!Files.readString(task.resolve("comm")).startsWith("logback-append"))
                    continue;
                String stat = Files.readString(task.resolve("stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                threads++;
            }
        }
        assertTrue(threads > 0, "no logback appender thread in process " + pid);
        return ticks;
    }
}
