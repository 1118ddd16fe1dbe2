package dev.gatehouse.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a request body to a program's stdin as it arrives ({@code POST /cli/run/{name}}): a
 * {@link ReadListener} reads what the container has, a writer thread ({@code gatehouse-cli-<id>-stdin})
 * writes it to the pipe. When more than {@link #MAX_PENDING} bytes wait for the program, reading
 * pauses (the client is slowed by TCP flow control) and resumes from the writer thread once the
 * program caught up. End of body closes stdin. If the program stops reading stdin, the rest of the
 * body is read and dropped.
 */
final class StdinPump implements ReadListener
{
    private static final Logger LOG = LoggerFactory.getLogger(StdinPump.class);
    static final int MAX_PENDING = 64 * 1024;
    private static final byte[] EOF = new byte[0];

    private final ServletInputStream in;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final byte[] buf = new byte[8192];
    private long pending;
    private boolean paused;
    private volatile boolean broken;

    StdinPump(ServletInputStream in, OutputStream stdin, String runId)
    {
        this.in = in;
        this.stdin = stdin;
        Thread t = new Thread(this::write, "gatehouse-cli-" + runId + "-stdin");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void onDataAvailable() throws IOException
    {
        readAvailable();
    }

    private synchronized void readAvailable() throws IOException
    {
        while (!paused && in.isReady())
        {
            int n = in.read(buf);
            if (n < 0)
                return;
            if (n == 0 || broken)
                continue;
            queue.add(Arrays.copyOf(buf, n));
            pending += n;
            if (pending > MAX_PENDING)
                paused = true;
        }
    }

    private void resume()
    {
        synchronized (this)
        {
            if (!paused || pending > MAX_PENDING / 2)
                return;
            paused = false;
        }
        try
        {
            readAvailable();
        }
        catch (IOException | IllegalStateException x)
        {
            onError(x);
        }
    }

    /** The exchange is over: let the writer thread end even if the body never finished. */
    void stop()
    {
        queue.add(EOF);
    }

    @Override
    public void onAllDataRead()
    {
        queue.add(EOF);
    }

    @Override
    public void onError(Throwable failure)
    {
        LOG.debug("cli upload failed", failure);
        queue.add(EOF);
    }

    private void write()
    {
        try
        {
            while (true)
            {
                byte[] chunk = queue.take();
                if (chunk == EOF)
                    break;
                synchronized (this)
                {
                    pending -= chunk.length;
                }
                if (!broken)
                {
                    try
                    {
                        stdin.write(chunk);
                        stdin.flush();
                    }
                    catch (IOException x)
                    {
                        broken = true; // the program closed stdin or exited: drop the rest
                    }
                }
                resume();
            }
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            Run.closeQuietly(stdin);
        }
    }
}
