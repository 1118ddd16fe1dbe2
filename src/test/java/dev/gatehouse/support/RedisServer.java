package dev.gatehouse.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port, without persistence. It can be stopped and
 * started again on the same port, to test what the proxy does while Redis is away.
 *
 * <p>The binary comes with the build: the test dependency {@code com.github.codemonstur:embedded-redis}
 * ships redis-server for Linux (x86-64, arm64) and macOS, extracted here once per test JVM. Where it
 * has none for the platform, or it does not run, a {@code redis-server} on {@code PATH} is used.
 * Without either the test is skipped with the reason, or fails when {@code GATEHOUSE_REQUIRE_REDIS=1}
 * ({@code .ci/run} sets it).
 */
public final class RedisServer implements AutoCloseable
{
    private static String binary;

    private final int port;
    private final Path dir;
    private Process process;

    public RedisServer() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("gatehouse-redis");
        start();
    }

    /** The redis-server binary; a skip (or a failure with GATEHOUSE_REQUIRE_REDIS=1) when there is none. */
    static synchronized String binary() throws Exception
    {
        if (binary != null)
            return binary;
        List<String> candidates = new ArrayList<>();
        String bundled = bundled();
        if (bundled != null)
            candidates.add(bundled);
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (!d.isEmpty())
                candidates.add(Path.of(d, "redis-server").toString());
        }
        for (String candidate : candidates)
        {
            if (Files.isExecutable(Path.of(candidate)) && runs(candidate))
                return binary = candidate;
        }
        String message = "no runnable redis-server: none bundled for " + System.getProperty("os.name") + "/"
            + System.getProperty("os.arch") + " by embedded-redis and none on PATH";
        if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_REDIS")))
            throw new IllegalStateException(message + " and GATEHOUSE_REQUIRE_REDIS=1");
        Assumptions.abort(message);
        return null;
    }

    /** Extracts the platform's binary from the embedded-redis jar, or null if it has none. */
    private static String bundled() throws IOException
    {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String name = os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")) ? "redis-server-6.2.6-v5-linux-amd64"
            : os.contains("linux") && arch.equals("aarch64") ? "redis-server-6.2.7-linux-arm64"
            : os.contains("mac") && arch.equals("aarch64") ? "redis-server-6.2.6-v5-darwin-arm64"
            : os.contains("mac") ? "redis-server-6.2.6-v5-darwin-amd64" : null;
        if (name == null)
            return null;
        try (InputStream in = RedisServer.class.getResourceAsStream("/" + name))
        {
            if (in == null)
                return null;
            Path dir = Files.createTempDirectory("gatehouse-redis-bin");
            Path file = dir.resolve("redis-server");
            Files.copy(in, file);
            file.toFile().setExecutable(true, true);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return file.toString();
        }
    }

    private static boolean runs(String candidate)
    {
        try
        {
            Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (IOException | InterruptedException x)
        {
            return false;
        }
    }

    public synchronized void start() throws Exception
    {
        ProcessBuilder pb = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", dir.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("redis.log").toFile());
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            if (answers())
                return;
            if (!process.isAlive())
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            Poll.pause();
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private boolean answers()
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = s.getInputStream().read(reply);
            return n > 0 && reply[0] == '+';
        }
        catch (IOException x)
        {
            return false;
        }
    }

    /** Kills the server (as a crash would) and waits until the port is closed. */
    public synchronized void stop() throws Exception
    {
        if (process == null)
            return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    public String uri()
    {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception
    {
        stop();
    }
}
