package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * vector is prefixed with util-linux {@code prlimit --as=N --cpu=N:N+1 --}, which sets the limits on itself
 * and then execs the program, so the pid reported is the program's own and the kernel enforces the
 * limits (an allocation beyond them fails; the process, not the proxy, dies).</p>
 *
 * <p>Sessions: the vector starts with util-linux {@code setsid}, so each run is its own session (the
 * program's pid is the session id; {@code setsid} execs without forking). Every process the program
 * starts stays in that session unless it calls {@code setsid} itself, even after its parent died and
 * it was re-parented, so the run's whole tree is found in {@code /proc/<pid>/stat} by session id.</p>
 *
 * <p>Killing: {@link #terminate} collects the tree (descendants plus session members) and sends
 * SIGTERM to all of it; {@link #forceKill} sends SIGKILL to that snapshot plus whatever belongs to
 * the tree by then.</p>
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
        return find(PRLIMIT_LOCATIONS);
    }

    /** util-linux {@code setsid}, or null when it is not installed (then only live descendants are found). */
    public static Path setsid()
    {
        return find(List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")));
    }

    private static Path find(List<Path> locations)
    {
        for (Path p : locations)
        {
            if (Files.isExecutable(p))
                return p;
        }
        return null;
    }

    /** The argument vector: {@code [setsid] [prlimit --as=N --cpu=N:N+1 --] path args...}. */
    static List<String> commandLine(CommandPolicy.Invocation invocation, Path prlimit, Path setsid)
    {
        CliConfig.Command c = invocation.command();
        List<String> line = new ArrayList<>();
        if (setsid != null)
            line.add(setsid.toString());
        if (c.maxMemory() > 0 || c.maxCpuSeconds() > 0)
        {
            if (prlimit == null)
                throw new IllegalStateException("prlimit is needed for the memory and CPU limits");
            line.add(prlimit.toString());
            if (c.maxMemory() > 0)
                line.add("--as=" + c.maxMemory());
            if (c.maxCpuSeconds() > 0) // SIGXCPU at the limit (a program may clean up), SIGKILL a second later
                line.add("--cpu=" + c.maxCpuSeconds() + ":" + (c.maxCpuSeconds() + 1));
            line.add("--");
        }
        line.add(c.path().toString());
        line.addAll(invocation.args());
        return line;
    }

    static Process start(CommandPolicy.Invocation invocation, Path prlimit, Path setsid) throws IOException
    {
        ProcessBuilder pb = new ProcessBuilder(commandLine(invocation, prlimit, setsid));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(CommandPolicy.environment(invocation));
        pb.directory(invocation.command().workingDir().toFile());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }

    /** SIGTERM to the process, its descendants and its session; returns who was signalled. */
    static List<ProcessHandle> terminate(ProcessHandle root)
    {
        List<ProcessHandle> tree = tree(root);
        for (ProcessHandle h : tree)
            h.destroy();
        return tree;
    }

    /** SIGKILL to what {@link #terminate} signalled and to whatever belongs to the tree now. */
    static void forceKill(ProcessHandle root, List<ProcessHandle> signalled)
    {
        List<ProcessHandle> tree = new ArrayList<>(signalled);
        tree.addAll(tree(root));
        for (ProcessHandle h : tree)
        {
            if (h.isAlive())
                h.destroyForcibly();
        }
    }

    /** The root (while alive), its live descendants, and every process in the session the root leads. */
    static List<ProcessHandle> tree(ProcessHandle root)
    {
        List<ProcessHandle> tree = new ArrayList<>();
        if (root.isAlive())
        {
            root.descendants().forEach(tree::add);
            tree.add(root);
        }
        for (long pid : sessionMembers(root.pid()))
        {
            if (pid != root.pid())
                ProcessHandle.of(pid).ifPresent(h -> { if (!tree.contains(h)) tree.add(h); });
        }
        return tree;
    }

    /** Pids whose session id ({@code /proc/<pid>/stat} field 6) is {@code sid}. Empty where there is no /proc. */
    static List<Long> sessionMembers(long sid)
    {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isNumeric(p.getFileName().toString())))
        {
            for (Path dir : proc)
            {
                try
                {
                    String stat = Files.readString(dir.resolve("stat"));
                    // after "(comm) ": state ppid pgrp session ...
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
                    if (Long.parseLong(f[3]) == sid && f[0].charAt(0) != 'Z')
                        members.add(Long.parseLong(dir.getFileName().toString()));
                }
                catch (IOException | RuntimeException ignored)
                {
                    // the process ended while we looked
                }
            }
        }
        catch (IOException ignored)
        {
            // no /proc: descendants only
        }
        return members;
    }

    private static boolean isNumeric(String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            if (!Character.isDigit(s.charAt(i)))
                return false;
        }
        return !s.isEmpty();
    }
}
