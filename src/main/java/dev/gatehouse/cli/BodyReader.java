package dev.gatehouse.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/** Reads a small request body without blocking a thread, up to a limit, then hands it on. */
final class BodyReader implements ReadListener
{
    interface Done
    {
        /** @param body the whole body, or null if it was larger than the limit */
        void body(byte[] body);

        void failed(Throwable failure);
    }

    private final ServletInputStream in;
    private final int max;
    private final Done done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final byte[] buf = new byte[8192];
    private boolean tooLarge;

    BodyReader(ServletInputStream in, int max, Done done)
    {
        this.in = in;
        this.max = max;
        this.done = done;
    }

    @Override
    public void onDataAvailable() throws IOException
    {
        while (in.isReady())
        {
            int n = in.read(buf);
            if (n < 0)
                return;
            if (tooLarge)
                continue;
            body.write(buf, 0, n);
            if (body.size() > max)
            {
                tooLarge = true;
                body.reset();
            }
        }
    }

    @Override
    public void onAllDataRead()
    {
        done.body(tooLarge ? null : body.toByteArray());
    }

    @Override
    public void onError(Throwable failure)
    {
        done.failed(failure);
    }
}
