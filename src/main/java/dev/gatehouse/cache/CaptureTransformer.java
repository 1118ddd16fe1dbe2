package dev.gatehouse.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;

/**
 * Copies the body of a storable response as it streams to the client (the input buffer is reused,
 * so bytes are copied), and gives up once it exceeds {@code cache.max-object-size}: a larger body
 * keeps streaming through, never buffered whole.
 */
final class CaptureTransformer implements AsyncMiddleManServlet.ContentTransformer
{
    private final AsyncMiddleManServlet.ContentTransformer delegate;
    private final CacheExchange exchange;
    private byte[] buffer = new byte[4096];
    private int length;

    CaptureTransformer(AsyncMiddleManServlet.ContentTransformer delegate, CacheExchange exchange)
    {
        this.delegate = delegate;
        this.exchange = exchange;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException
    {
        if (buffer != null && input.hasRemaining())
        {
            int n = input.remaining();
            if ((long)length + n > exchange.maxObjectSize)
            {
                buffer = null;
                exchange.detail = "too-large";
                exchange.abandoned();
            }
            else
            {
                if (length + n > buffer.length)
                    buffer = Arrays.copyOf(buffer, (int)Math.min(exchange.maxObjectSize, Math.max((long)buffer.length * 2, length + n)));
                input.duplicate().get(buffer, length, n);
                length += n;
            }
        }
        delegate.transform(input, finished, output);
        if (finished && buffer != null)
        {
            byte[] body = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            buffer = null;
            exchange.captured(body);
        }
    }
}
