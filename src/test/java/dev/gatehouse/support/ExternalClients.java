package dev.gatehouse.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Clients the project did not write, run as programs: headless Chromium, Node with the {@code ws}
 * package, Python with {@code websockets}. A missing tool skips the test with the reason; CI
 * installs them and sets {@code GATEHOUSE_REQUIRE_BROWSER=1} / {@code GATEHOUSE_REQUIRE_WS_CLIENTS=1},
 * and then a missing tool fails it.
 */
public final class ExternalClients
{
    /** Where .ci/run installs the npm packages the tests use ({@code npm install --prefix .tools/node ws}). */
    public static final Path NODE_MODULES = Path.of(".tools/node/node_modules").toAbsolutePath();

    private ExternalClients()
    {
    }

    /** The Chromium binary, or a skip (a failure with GATEHOUSE_REQUIRE_BROWSER=1). */
    public static String chromium()
    {
        List<Path> candidates = onPath("chromium");
        candidates.add(Path.of("/usr/bin/chromium"));
        for (Path p : candidates)
        {
            if (Files.isRegularFile(p) && Files.isExecutable(p))
                return p.toString();
        }
        return missing("no chromium binary on PATH or at /usr/bin/chromium", "GATEHOUSE_REQUIRE_BROWSER");
    }

    /** Node, with the {@code ws} package resolvable from {@link #NODE_MODULES} (or globally), or a skip. */
    public static String nodeWithWs()
    {
        for (Path node : onPath("node"))
        {
            if (Files.isExecutable(node) && succeeds(List.of(node.toString(), "-e", "require.resolve('ws')")))
                return node.toString();
        }
        return missing("no node with the ws package (npm install --prefix .tools/node ws)", "GATEHOUSE_REQUIRE_WS_CLIENTS");
    }

    /** A python3 that imports {@code websockets} (Debian: python3-websockets), or a skip. */
    public static String pythonWithWebsockets()
    {
        List<Path> candidates = onPath("python3");
        candidates.add(Path.of("/usr/bin/python3"));
        for (Path python : candidates)
        {
            if (Files.isExecutable(python) && succeeds(List.of(python.toString(), "-c", "import websockets")))
                return python.toString();
        }
        return missing("no python3 with the websockets package (Debian: python3-websockets)", "GATEHOUSE_REQUIRE_WS_CLIENTS");
    }

    /** A test script from src/test/resources, as a file path. */
    public static String script(String resource)
    {
        try
        {
            return Path.of(ExternalClients.class.getResource(resource).toURI()).toString();
        }
        catch (Exception x)
        {
            throw new IllegalStateException(resource, x);
        }
    }

    /** Starts a program with NODE_PATH pointing at the project's node_modules; stderr goes to a file next to it. */
    public static Process start(List<String> command, Path stderr) throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().put("NODE_PATH", NODE_MODULES.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Runs a program to completion (at most {@code seconds}) and returns its standard output. */
    public static String run(List<String> command, Path stderr, int seconds) throws Exception
    {
        Process process = start(command, stderr);
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(seconds, TimeUnit.SECONDS))
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail(command.get(0) + " did not finish within " + seconds + " s: " + Files.readString(stderr));
        }
        return new String(stdout.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in)
    {
        try (in)
        {
            return in.readAllBytes();
        }
        catch (IOException x)
        {
            return new byte[0];
        }
    }

    private static boolean succeeds(List<String> command)
    {
        try
        {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("NODE_PATH", NODE_MODULES.toString()));
            Process p = builder.start();
            p.getOutputStream().close();
            readAll(p.getInputStream());
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        catch (IOException x)
        {
            return false;
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<Path> onPath(String name)
    {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (!dir.isEmpty())
                candidates.add(Path.of(dir, name));
        }
        return candidates;
    }

    private static String missing(String message, String requireVariable)
    {
        if ("1".equals(System.getenv(requireVariable)))
            fail(message + " and " + requireVariable + "=1");
        Assumptions.abort(message);
        return null;
    }
}
