package dev.gatehouse.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the Debian package; {@code .ci/run} installs it) on a free loopback
 * port, without persistence. It can be stopped and started again on the same port, to test what
 * the proxy does while Redis is away.
 */
public final class RedisServer implements AutoCloseable
{
    private final int port;
    private final Path dir;
    private Process process;

    public RedisServer() throws Exception
    {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("gatehouse-redis");
        start();
    }

    /** The redis-server binary, or a failure that says how to get it. */
    static String binary()
    {
        for (String candidate : new String[]{"/usr/bin/redis-server", "/usr/local/bin/redis-server"})
        {
            if (Files.isExecutable(Path.of(candidate)))
                return candidate;
        }
        throw new IllegalStateException("redis-server is not installed (apt-get install redis-server; .ci/run does this)");
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
            Thread.onSpinWait();
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private boolean answers()
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
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
