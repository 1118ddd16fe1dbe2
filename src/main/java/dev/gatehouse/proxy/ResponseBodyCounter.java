package dev.gatehouse.proxy;

import java.nio.ByteBuffer;
import java.util.List;

import dev.gatehouse.http.ByteCounts;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;

/** Passes the upstream response body through unchanged, counting the bytes sent to the client. */
final class ResponseBodyCounter implements AsyncMiddleManServlet.ContentTransformer
{
    private final ByteCounts counts;

    ResponseBodyCounter(ByteCounts counts)
    {
        this.counts = counts;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output)
    {
        if (input.hasRemaining())
        {
            counts.sent += input.remaining();
            output.add(input);
        }
    }
}
