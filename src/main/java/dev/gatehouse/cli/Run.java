package dev.gatehouse.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running (or recently finished) program: its process, the reader threads of stdout and stderr,
 * the attached sinks and a bounded replay buffer of its events for re-attaching clients.
 *
 * <p>Threads: one platform thread per output pipe (named {@code gatehouse-cli-<id>-stdout} and
 * {@code -stderr}); both end when the pipes reach end of file, which happens when the process tree
 * is gone. The stdout reader then waits for the stderr reader and the process, and finishes the run.
 * A reader blocks while an attached client's backlog is full, so a slow client slows the program
 * (through the pipe) instead of filling the proxy's memory.</p>
 */
final class Run
{
    private static final Logger LOG = LoggerFactory.getLogger(Run.class);
    static final String EXITED = "exited";
    static final String TIMEOUT = "timeout";
    static final String KILLED = "killed";
    static final String OUTPUT_LIMIT = "output-limit";
    private static final int READ_SIZE = 8192;

    final String id;
    final CommandPolicy.Invocation invocation;
    final String client;
    final boolean detach;
    private final CliService service;
    private final long startNanos = System.nanoTime();
    private final Object lock = new Object();
    private final ArrayDeque<Event> retained = new ArrayDeque<>();
    private final List<Sink> sinks = new ArrayList<>();
    private final long retainBytes;
    private long retainedBytes;
    private long outputBytes;
    private Event startEvent;
    private Event exitEvent;
    private Process process;
    private volatile String reason;
    private volatile List<ProcessHandle> signalled;
    private volatile Integer exitCode;
    private volatile long durationMs;
    /** The timeout task, cancelled when the run ends. */
    volatile Future<?> timer;

    Run(String id, CommandPolicy.Invocation invocation, String client, boolean detach, long retainBytes, CliService service)
    {
        this.id = id;
        this.invocation = invocation;
        this.client = client;
        this.detach = detach;
        this.retainBytes = retainBytes;
        this.service = service;
    }

    /** Starts the process and its readers. The first sink is attached before any output can arrive. */
    void start(Process process, Sink first)
    {
        this.process = process;
        synchronized (lock)
        {
            startEvent = Event.start(id, process.pid());
            if (first != null)
            {
                sinks.add(first);
                first.enqueue(startEvent);
            }
        }
        if (first != null)
            first.deliver();
        Thread stderr = reader(process.getErrorStream(), "stderr", null);
        reader(process.getInputStream(), "stdout", stderr);
        process.onExit().thenRun(this::rootExited);
    }

    /**
     * The program ended: what it left running in its session (background children still holding the
     * output pipes) is killed too, SIGTERM then SIGKILL. Should the pipes stay open anyway (a process
     * that left the session), the run is finished without waiting for them after the grace.
     */
    private void rootExited()
    {
        List<ProcessHandle> left = ProcessRunner.tree(process.toHandle());
        if (!left.isEmpty())
        {
            LOG.debug("run {}: killing {} processes left behind", id, left.size());
            for (ProcessHandle h : left)
                h.destroy();
            service.schedule(() -> ProcessRunner.forceKill(process.toHandle(), left), service.killGrace().toMillis());
        }
        service.schedule(() ->
        {
            if (!isFinished())
            {
                LOG.warn("run {}: output pipes still open after the program ended; finishing without them", id);
                finish(process.exitValue());
            }
        }, service.killGrace().toMillis() + 1000);
    }

    private Thread reader(InputStream in, String stream, Thread other)
    {
        Thread t = new Thread(() -> read(in, stream, other), "gatehouse-cli-" + id + "-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void read(InputStream in, String stream, Thread other)
    {
        Utf8Boundary boundary = new Utf8Boundary();
        byte[] buf = new byte[READ_SIZE];
        try (in)
        {
            int n;
            while ((n = in.read(buf)) >= 0)
            {
                int allowed = allow(n);
                if (allowed > 0)
                    emit(stream, boundary.push(buf, allowed));
            }
        }
        catch (IOException x)
        {
            LOG.debug("run {}: reading {} failed", id, stream, x);
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            emit(stream, boundary.flush());
            if (other != null)
            {
                other.join();
                finish(process.waitFor());
            }
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** How many of {@code n} bytes fit under the output limit; past it the run is killed and the rest dropped. */
    private int allow(int n)
    {
        long max = invocation.command().maxOutput();
        int allowed;
        synchronized (lock)
        {
            allowed = (int)Math.max(0, Math.min(n, max - outputBytes));
            outputBytes += allowed;
        }
        if (allowed < n)
            kill(OUTPUT_LIMIT);
        return allowed;
    }

    private void emit(String stream, byte[] data) throws InterruptedException
    {
        if (data.length == 0)
            return;
        service.metrics().bytesOut(data.length);
        publish(Event.output(stream, data));
    }

    private void publish(Event event) throws InterruptedException
    {
        List<Sink> targets;
        synchronized (lock)
        {
            if (exitEvent != null)
                return; // finished without waiting for the pipes
            retain(event);
            targets = List.copyOf(sinks);
            for (Sink s : targets)
                s.enqueue(event);
        }
        for (Sink s : targets)
            s.deliver();
        for (Sink s : targets)
            s.awaitCapacity();
    }

    private void retain(Event event)
    {
        retained.add(event);
        retainedBytes += event.size();
        while (retainedBytes > retainBytes && retained.size() > 1)
            retainedBytes -= retained.removeFirst().size();
    }

    private void finish(int code)
    {
        List<Sink> targets;
        synchronized (lock)
        {
            if (exitEvent != null)
                return;
            if (reason == null)
                reason = EXITED;
            exitCode = code;
            durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            exitEvent = Event.exit(code, durationMs, reason);
            targets = List.copyOf(sinks);
            sinks.clear();
            for (Sink s : targets)
            {
                s.enqueue(exitEvent);
                s.end();
            }
        }
        for (Sink s : targets)
            s.deliver();
        closeQuietly(process.getOutputStream());
        service.finished(this);
    }

    /**
     * Attaches a client: it gets the start event, the retained output, then live events (or the
     * exit event, if the run is over). Returns false if it was over.
     */
    boolean attach(Sink sink)
    {
        boolean live;
        synchronized (lock)
        {
            sink.enqueue(startEvent);
            for (Event e : retained)
                sink.enqueue(e);
            live = exitEvent == null;
            if (live)
                sinks.add(sink);
            else
            {
                sink.enqueue(exitEvent);
                sink.end();
            }
        }
        sink.deliver();
        return live;
    }

    /** A client went away: the run dies with it unless it was started detached. */
    void detached(Sink sink, boolean owner)
    {
        synchronized (lock)
        {
            sinks.remove(sink);
        }
        if (owner && !detach)
            kill(KILLED);
    }

    /** SIGTERM to the whole tree now, SIGKILL after {@code cli.kill-grace}. The first reason given wins. */
    void kill(String why)
    {
        synchronized (lock)
        {
            if (exitEvent != null || reason != null)
                return;
            reason = why;
        }
        ProcessHandle root = process.toHandle();
        signalled = ProcessRunner.terminate(root);
        service.schedule(() -> ProcessRunner.forceKill(root, signalled), service.killGrace().toMillis());
    }

    /** SIGKILL at once (shutdown after the grace period). */
    void forceKill()
    {
        kill(KILLED);
        ProcessRunner.forceKill(process.toHandle(), signalled == null ? List.of() : signalled);
    }

    boolean isFinished()
    {
        synchronized (lock)
        {
            return exitEvent != null;
        }
    }

    Integer exitCode()
    {
        return exitCode;
    }

    String reason()
    {
        return reason;
    }

    long durationMs()
    {
        return durationMs;
    }

    long outputBytes()
    {
        synchronized (lock)
        {
            return outputBytes;
        }
    }

    long pid()
    {
        return process.pid();
    }

    /** The program's stdin. */
    OutputStream stdin()
    {
        return process.getOutputStream();
    }

    static void closeQuietly(Closeable c)
    {
        try
        {
            c.close();
        }
        catch (IOException ignored)
        {
            // the process closed its end
        }
    }
}
