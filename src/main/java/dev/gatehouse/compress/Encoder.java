package dev.gatehouse.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder.Parameters;

/**
 * A streaming compressor: bytes in, compressed bytes out, with a flush that makes everything
 * written so far decodable (gzip: Deflater SYNC_FLUSH; brotli: BROTLI_OPERATION_FLUSH).
 * Not thread-safe; one per response. {@link #close()} frees native memory and is idempotent.
 */
public final class Encoder implements AutoCloseable
{
    private final Sink sink = new Sink();
    private final OutputStream stream;
    private final Coding coding;
    private byte[] scratch;
    private boolean closed;

    private interface StreamFactory
    {
        OutputStream open(OutputStream sink) throws IOException;
    }

    private Encoder(Coding coding, StreamFactory factory) throws IOException
    {
        this.coding = coding;
        this.stream = factory.open(sink);
    }

    public static Encoder gzip(int level) throws IOException
    {
        return new Encoder(Coding.GZIP, sink -> new LeveledGzip(sink, level));
    }

    public static Encoder brotli(int quality) throws IOException
    {
        return new Encoder(Coding.BROTLI, sink -> new BrotliOutputStream(sink, new Parameters().setQuality(quality), 16 * 1024));
    }

    public Coding coding()
    {
        return coding;
    }

    /** Compresses the remaining bytes of {@code input} (consuming them); output may be buffered. */
    public void write(ByteBuffer input, List<ByteBuffer> output) throws IOException
    {
        int length = input.remaining();
        if (length == 0)
            return;
        if (input.hasArray())
        {
            stream.write(input.array(), input.arrayOffset() + input.position(), length);
            input.position(input.limit());
        }
        else
        {
            if (scratch == null || scratch.length < Math.min(length, 64 * 1024))
                scratch = new byte[Math.min(Math.max(length, 8192), 64 * 1024)];
            while (input.hasRemaining())
            {
                int n = Math.min(input.remaining(), scratch.length);
                input.get(scratch, 0, n);
                stream.write(scratch, 0, n);
            }
        }
        sink.drainTo(output);
    }

    /** Makes all input so far decodable by the client. */
    public void flush(List<ByteBuffer> output) throws IOException
    {
        stream.flush();
        sink.drainTo(output);
    }

    /** Writes the end of the stream and releases the encoder. */
    public void finish(List<ByteBuffer> output) throws IOException
    {
        closed = true;
        stream.close();
        sink.drainTo(output);
    }

    @Override
    public void close()
    {
        if (closed)
            return;
        closed = true;
        try
        {
            stream.close();
        }
        catch (IOException ignored)
        {
            // releasing native memory of an abandoned stream; nothing is sent
        }
    }

    /** Collects compressed bytes; hands them out as fresh buffers (the writer may keep them). */
    private static final class Sink extends ByteArrayOutputStream
    {
        Sink()
        {
            super(8192);
        }

        void drainTo(List<ByteBuffer> output)
        {
            if (count > 0)
            {
                output.add(ByteBuffer.wrap(Arrays.copyOf(buf, count)));
                reset();
            }
        }
    }

    /** GZIPOutputStream with a level and SYNC_FLUSH on {@code flush()}. */
    private static final class LeveledGzip extends GZIPOutputStream
    {
        LeveledGzip(OutputStream out, int level) throws IOException
        {
            super(out, 8192, true);
            def.setLevel(level);
        }
    }
}
