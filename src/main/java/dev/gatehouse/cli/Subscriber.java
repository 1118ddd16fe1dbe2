package dev.gatehouse.cli;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming client of a run: events are encoded (NDJSON or SSE, text or base64) into a bounded
 * queue and written with a non-blocking {@link WriteListener}; each burst is flushed at once. While
 * more than {@link #MAX_QUEUED} bytes wait, the run's readers block ({@link #awaitCapacity}). A write
 * failure or container error means the client went away; the run is told so.
 */
final class Subscriber implements Sink, WriteListener, AsyncListener
{
    private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);
    static final long MAX_QUEUED = 256 * 1024;

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Event.Format format;
    private final boolean base64;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queued;
    private boolean listening;
    private boolean dirty;
    private boolean ended;
    private boolean closed;
    private boolean wroteSinceTick;
    private Run run;
    private boolean owner;
    private ScheduledFuture<?> heartbeat;

    Subscriber(AsyncContext async, Event.Format format, boolean base64) throws IOException
    {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.format = format;
        this.base64 = base64;
        async.addListener(this);
    }

    /** Binds to the run; {@code owner}: this client started it, so its going away kills a non-detached run. */
    void bind(Run run, boolean owner, CliService service)
    {
        synchronized (this)
        {
            this.run = run;
            this.owner = owner;
        }
        heartbeat = service.scheduleAtFixedRate(this::tick, service.heartbeatMillis());
        synchronized (this)
        {
            if (!closed)
                return;
        }
        cancelHeartbeat();
    }

    /**
     * Starts writing. The listener is installed before anything may be written (a write before it
     * would be a blocking one); what queued up meanwhile is delivered at once.
     */
    void listen()
    {
        out.setWriteListener(this);
        synchronized (this)
        {
            listening = true;
        }
        deliver();
    }

    @Override
    public synchronized void enqueue(Event event)
    {
        if (closed || ended)
            return;
        byte[] bytes = event.encode(format, base64);
        queue.add(bytes);
        queued += bytes.length;
    }

    @Override
    public void deliver()
    {
        try
        {
            pump();
        }
        catch (IOException | IllegalStateException x)
        {
            onError(x);
        }
    }

    @Override
    public synchronized void awaitCapacity() throws InterruptedException
    {
        while (!closed && queued > MAX_QUEUED)
            wait(1000);
    }

    @Override
    public synchronized void end()
    {
        ended = true;
    }

    @Override
    public void onWritePossible() throws IOException
    {
        pump();
    }

    private void pump() throws IOException
    {
        boolean complete = false;
        synchronized (this)
        {
            if (!listening || closed)
                return;
            while (out.isReady())
            {
                byte[] next = queue.poll();
                if (next == null)
                {
                    if (dirty)
                    {
                        dirty = false;
                        out.flush();
                        continue;
                    }
                    if (ended)
                    {
                        closed = true;
                        complete = true;
                    }
                    break;
                }
                queued -= next.length;
                notifyAll();
                out.write(next);
                dirty = true;
                wroteSinceTick = true;
            }
        }
        if (complete)
        {
            cancelHeartbeat();
            async.complete();
        }
    }

    /** Writes a heartbeat when nothing was written for a whole period: keeps idle connections open and notices gone clients. */
    private void tick()
    {
        synchronized (this)
        {
            if (closed || ended)
                return;
            if (wroteSinceTick || !queue.isEmpty())
            {
                wroteSinceTick = false;
                return;
            }
        }
        enqueue(Event.HEARTBEAT);
        deliver();
    }

    @Override
    public void onError(Throwable failure)
    {
        Run r;
        boolean o;
        synchronized (this)
        {
            if (closed)
                return;
            closed = true;
            queue.clear();
            queued = 0;
            notifyAll();
            r = run;
            o = owner;
        }
        LOG.debug("cli client went away", failure);
        cancelHeartbeat();
        if (r != null)
            r.detached(this, o);
        try
        {
            async.complete();
        }
        catch (IllegalStateException ignored)
        {
            // already completed by the container
        }
    }

    private void cancelHeartbeat()
    {
        ScheduledFuture<?> h = heartbeat;
        if (h != null)
            h.cancel(false);
    }

    @Override
    public void onComplete(AsyncEvent event)
    {
        synchronized (this)
        {
            if (closed)
                return;
        }
        onError(new IOException("response completed"));
    }

    @Override
    public void onTimeout(AsyncEvent event)
    {
        onError(event.getThrowable() != null ? event.getThrowable() : new IOException("async timeout"));
    }

    @Override
    public void onError(AsyncEvent event)
    {
        onError(event.getThrowable() != null ? event.getThrowable() : new IOException("async error"));
    }

    @Override
    public void onStartAsync(AsyncEvent event)
    {
        // not restarted
    }
}
