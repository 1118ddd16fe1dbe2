package dev.gatehouse.compress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.util.component.Destroyable;

/**
 * Compresses the upstream body as it streams through the proxy servlet. With
 * {@code flushEachChunk} (responses of unknown length: chunked, SSE) every upstream chunk leaves
 * compressed and flushed, so the client can decode it at once; otherwise the encoder chooses
 * its blocks. The encoder starts on the first chunk, before anything is written to the client,
 * so a brotli encoder that cannot start falls back to gzip and the header still says so.
 */
final class CompressingTransformer implements AsyncMiddleManServlet.ContentTransformer, Destroyable
{
    private final Coding coding;
    private final int gzipLevel;
    private final int brotliQuality;
    private final boolean flushEachChunk;
    private final HttpServletResponse proxyToClientResponse;
    private Encoder encoder;

    CompressingTransformer(Coding coding, int gzipLevel, int brotliQuality, boolean flushEachChunk, HttpServletResponse proxyToClientResponse)
    {
        this.coding = coding;
        this.gzipLevel = gzipLevel;
        this.brotliQuality = brotliQuality;
        this.flushEachChunk = flushEachChunk;
        this.proxyToClientResponse = proxyToClientResponse;
    }

    @Override
    public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException
    {
        if (encoder == null)
            encoder = start();
        encoder.write(input, output);
        if (finished)
            encoder.finish(output);
        else if (flushEachChunk)
            encoder.flush(output);
    }

    private Encoder start() throws IOException
    {
        if (coding == Coding.BROTLI)
        {
            try
            {
                return Encoder.brotli(brotliQuality);
            }
            catch (Throwable x)
            {
                Brotli.unavailable(x);
                proxyToClientResponse.setHeader("Content-Encoding", Coding.GZIP.token());
            }
        }
        return Encoder.gzip(gzipLevel);
    }

    @Override
    public void destroy()
    {
        if (encoder != null)
            encoder.close();
    }
}
