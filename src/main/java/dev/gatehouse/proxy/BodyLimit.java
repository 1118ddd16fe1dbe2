package dev.gatehouse.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import dev.gatehouse.http.ByteCounts;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.PolicyException;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;

/**
 * Counts request body bytes as they stream upstream (for the access log and metrics) and stops the exchange at
 * {@code limits.max-body-size}: a chunked upload of any size is cut off at the limit, never buffered.
 */
final class BodyLimit implements AsyncMiddleManServlet.ContentTransformer
{
    private final long max;
    private final ByteCounts counts;
    private long seen;

    /** @param max 0 = no limit, only counting */
    BodyLimit(long max, ByteCounts counts)
    {
        this.max = max;
        this.counts = counts;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException
    {
        seen += input.remaining();
        counts.received = seen;
        if (finished)
            counts.requestDone = true;
        if (max > 0 && seen > max)
            throw new PolicyException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than " + max + " bytes");
        if (input.hasRemaining())
            output.add(input);
    }
}
