package dev.gatehouse.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.gatehouse.support.RawHttp;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A standalone servlet container (a Tomcat or Jetty distribution) run as a real process, its
 * output in a log file that the tests poll with deadlines.
 */
final class ContainerProcess implements AutoCloseable
{
    /** Warnings a container logs when an undeployed webapp leaves threads or references behind. */
    static final List<String> LEAK_WARNINGS = List.of("memory leak", "leak", "failed to stop", "ThreadLocal",
        "appears to have started a thread");
    /** Java threads only ({@code "name" #12 ...}): the JVM's own (GC, compiler, "VM Thread") carry no number and belong to no webapp. */
    private static final Pattern THREAD_NAME = Pattern.compile("^\"([^\"]*)\" #\\d+ ", Pattern.MULTILINE);

    private final Process process;
    private final Path log;

    private ContainerProcess(Process process, Path log)
    {
        this.process = process;
        this.log = log;
    }

    static ContainerProcess start(Path workingDir, Path log, Map<String, String> env, List<String> command) throws IOException
    {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Files.createDirectories(log.getParent());
        pb.redirectOutput(log.toFile());
        return new ContainerProcess(pb.start(), log);
    }

    /** Runs a short command to completion (e.g. Jetty's {@code --add-modules}); fails with its output otherwise. */
    static void run(Path workingDir, Path log, List<String> command, Duration timeout) throws Exception
    {
        try (ContainerProcess p = start(workingDir, log, Map.of(), command))
        {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.process.exitValue() != 0)
                fail(String.join(" ", command) + " did not succeed:\n" + p.log());
        }
    }

    String log()
    {
        try
        {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }
        catch (IOException x)
        {
            return "(log unreadable: " + x + ")";
        }
    }

    /** Waits until the log contains {@code text} (after {@code from} characters); fails early if the process died. */
    int awaitLog(String text, int from, Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            String content = log();
            int at = content.indexOf(text, Math.min(from, content.length()));
            if (at >= 0)
                return at + text.length();
            if (!process.isAlive())
                fail("the container exited (" + process.exitValue() + ") before logging '" + text + "':\n" + content);
            if (System.nanoTime() > deadline)
                fail("no '" + text + "' in the container log within " + timeout + ":\n" + content);
            pause();
        }
    }

    /** Polls until {@code condition} holds; fails with the log otherwise. */
    void await(String what, Duration timeout, BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (!process.isAlive())
                fail("the container exited before " + what + ":\n" + log());
            if (System.nanoTime() > deadline)
                fail("not " + what + " within " + timeout + ":\n" + log());
            pause();
        }
    }

    /** The status of {@code GET path} on the port, or -1 if nothing answers. */
    static int status(int port, String path)
    {
        try
        {
            return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n").status();
        }
        catch (IOException x)
        {
            return -1;
        }
    }

    /**
     * The container's threads by name with digits removed ("gatehouse-health", "qtp123-45" →
     * "qtp-"), counted, from a live thread dump. The JVM-wide common fork-join pool is left out:
     * its workers belong to no webapp (their context class loader is the system one) and retire on
     * their own after a minute idle.
     */
    Map<String, Integer> threads() throws Exception
    {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
        String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dump.waitFor(30, TimeUnit.SECONDS) || dump.exitValue() != 0)
            fail("jcmd Thread.print failed: " + out);
        Map<String, Integer> counts = new TreeMap<>();
        Matcher m = THREAD_NAME.matcher(out);
        while (m.find())
            // the JIT adds and retires compiler threads as it pleases
            if (!m.group(1).startsWith("ForkJoinPool.commonPool-") && !m.group(1).contains("CompilerThread"))
                counts.merge(m.group(1).replaceAll("[0-9]+", ""), 1, Integer::sum);
        return counts;
    }

    /**
     * Threads present after an undeploy beyond those before the deploy: a new name, or more of a
     * name (the server-level CONNECT handler's threads share names with the webapp's). The
     * container's request pools (names starting with one of {@code requestPools}) grow under load
     * and may stay grown; for them only a new name counts.
     */
    static Map<String, Integer> leftOver(Map<String, Integer> before, Map<String, Integer> after, List<String> requestPools)
    {
        Map<String, Integer> extra = new TreeMap<>();
        after.forEach((name, count) ->
        {
            int had = before.getOrDefault(name, 0);
            boolean pool = requestPools.stream().anyMatch(name::startsWith);
            if (had == 0 || (!pool && count > had))
                extra.put(name, count - had);
        });
        return extra;
    }

    /**
     * {@link #leftOver} after an undeploy, given up to {@code timeout} to shrink to nothing:
     * threads that are already stopping (Tomcat renames its WebSocket background thread
     * "... - stopping" and lets it end within a second) are not leaks; a leaked thread stays.
     */
    Map<String, Integer> leftOverAfter(Map<String, Integer> before, List<String> requestPools, Duration timeout) throws Exception
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> extra = leftOver(before, threads(), requestPools);
        while (!extra.isEmpty() && System.nanoTime() < deadline)
        {
            pause();
            extra = leftOver(before, threads(), requestPools);
        }
        return extra;
    }

    /** Stops the container (SIGTERM, so it undeploys and shuts down cleanly) and waits for it. */
    int stop(Duration timeout) throws InterruptedException
    {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the container did not stop within " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The log lines that carry a leak warning. */
    static List<String> leakWarnings(String log)
    {
        return log.lines().filter(line -> LEAK_WARNINGS.stream().anyMatch(w -> line.toLowerCase().contains(w.toLowerCase()))).toList();
    }

    /** The java binary of the JVM running the tests, for the containers' own JVMs. */
    static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** Deletes and recreates a directory under target/. */
    static Path freshDirectory(Path dir) throws IOException
    {
        if (Files.exists(dir))
            try (Stream<Path> all = Files.walk(dir))
            {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList())
                    Files.delete(p);
            }
        return Files.createDirectories(dir);
    }

    static void copyTree(Path from, Path to) throws IOException
    {
        try (Stream<Path> all = Files.walk(from))
        {
            for (Path p : all.toList())
            {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                    Files.createDirectories(target);
                else
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Copies then renames, so a scanning deployer never sees a half-written WAR. */
    static void deploy(Path war, Path webapps, String name) throws IOException
    {
        Path partial = webapps.getParent().resolve(name + ".partial");
        Files.copy(war, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, webapps.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(100);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(x);
        }
    }
}
