package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.CliConfig;

/**
 * Starts a declared program as an argument vector (never through a shell), with the minimal
 * environment, in its working directory, under OS resource limits, and kills whole process trees.
 *
 * <p>Limits: when a command has a memory ({@code RLIMIT_AS}) or CPU ({@code RLIMIT_CPU}) limit the
 * vector is prefixed with util-linux {@code prlimit --as=N --cpu=N --}, which sets the limits on itself
 * and then execs the program, so the pid reported is the program's own and the kernel enforces the
 * limits (an allocation beyond them fails; the process, not the proxy, dies).</p>
 *
 * <p>Killing: {@link #terminate} takes a snapshot of the descendants first (they are re-parented, and
 * no longer descendants, once their parent dies) and sends SIGTERM to all of them; {@link #forceKill}
 * sends SIGKILL to that snapshot plus any descendant that appeared since.</p>
 */
public final class ProcessRunner
{
    private static final List<Path> PRLIMIT_LOCATIONS = List.of(Path.of("/usr/bin/prlimit"), Path.of("/bin/prlimit"),
        Path.of("/usr/local/bin/prlimit"));

    private ProcessRunner()
    {
    }

    /** util-linux {@code prlimit}, or null when it is not installed. */
    public static Path prlimit()
    {
        for (Path p : PRLIMIT_LOCATIONS)
        {
            if (Files.isExecutable(p))
                return p;
        }
        return null;
    }

    /** The argument vector: {@code [prlimit --as=N --cpu=N --] path args...}. */
    static List<String> commandLine(CommandPolicy.Invocation invocation, Path prlimit)
    {
        CliConfig.Command c = invocation.command();
        List<String> line = new ArrayList<>();
        if (c.maxMemory() > 0 || c.maxCpuSeconds() > 0)
        {
            if (prlimit == null)
                throw new IllegalStateException("prlimit is needed for the memory and CPU limits");
            line.add(prlimit.toString());
            if (c.maxMemory() > 0)
                line.add("--as=" + c.maxMemory());
            if (c.maxCpuSeconds() > 0)
                line.add("--cpu=" + c.maxCpuSeconds());
            line.add("--");
        }
        line.add(c.path().toString());
        line.addAll(invocation.args());
        return line;
    }

    static Process start(CommandPolicy.Invocation invocation, Path prlimit) throws IOException
    {
        ProcessBuilder pb = new ProcessBuilder(commandLine(invocation, prlimit));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(CommandPolicy.environment(invocation));
        pb.directory(invocation.command().workingDir().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }

    /** SIGTERM to the process and all its descendants; returns who was signalled. */
    static List<ProcessHandle> terminate(ProcessHandle root)
    {
        List<ProcessHandle> tree = new ArrayList<>();
        root.descendants().forEach(tree::add);
        tree.add(root);
        for (ProcessHandle h : tree)
            h.destroy();
        return tree;
    }

    /** SIGKILL to what {@link #terminate} signalled and to any descendant of the root that is still there. */
    static void forceKill(ProcessHandle root, List<ProcessHandle> signalled)
    {
        List<ProcessHandle> tree = new ArrayList<>(signalled);
        if (root.isAlive())
            root.descendants().forEach(tree::add);
        for (ProcessHandle h : tree)
        {
            if (h.isAlive())
                h.destroyForcibly();
        }
    }
}
