package dev.gatehouse.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;

/** Decoders for compressed test bodies, whole or as they arrive. */
public final class Decoding
{
    private Decoding()
    {
    }

    public static byte[] gunzip(byte[] data) throws IOException
    {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data)))
        {
            return in.readAllBytes();
        }
    }

    public static byte[] unbrotli(byte[] data) throws IOException
    {
        Brotli4jLoader.ensureAvailability();
        return Decoder.decompress(data).getDecompressedData();
    }

    public static byte[] concat(List<ByteBuffer> buffers)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : buffers)
        {
            ByteBuffer d = b.duplicate();
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** Decodes a compressed stream piece by piece, returning what each piece makes decodable. */
    public interface Partial
    {
        String feed(byte[] bytes) throws IOException;

        default String feed(List<ByteBuffer> buffers) throws IOException
        {
            return feed(concat(buffers));
        }
    }

    /** gzip as written by Gatehouse (10-byte header, no optional fields). */
    public static final class PartialGzip implements Partial
    {
        private final Inflater inflater = new Inflater(true);
        private int headerLeft = 10;

        @Override
        public String feed(byte[] bytes) throws IOException
        {
            int skip = Math.min(headerLeft, bytes.length);
            headerLeft -= skip;
            inflater.setInput(bytes, skip, bytes.length - skip);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try
            {
                int n;
                while ((n = inflater.inflate(buffer)) > 0)
                    out.write(buffer, 0, n);
            }
            catch (DataFormatException x)
            {
                throw new IOException(x);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    public static final class PartialBrotli implements Partial
    {
        private final DecoderJNI.Wrapper decoder;

        public PartialBrotli() throws IOException
        {
            Brotli4jLoader.ensureAvailability();
            decoder = new DecoderJNI.Wrapper(64 * 1024);
        }

        @Override
        public String feed(byte[] bytes) throws IOException
        {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int offset = 0;
            while (offset < bytes.length)
            {
                ByteBuffer input = decoder.getInputBuffer();
                input.clear();
                int n = Math.min(input.remaining(), bytes.length - offset);
                input.put(bytes, offset, n);
                offset += n;
                decoder.push(n);
                drain(out);
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        private void drain(ByteArrayOutputStream out) throws IOException
        {
            while (true)
            {
                if (decoder.hasOutput())
                {
                    ByteBuffer b = decoder.pull();
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    out.writeBytes(chunk);
                    continue;
                }
                DecoderJNI.Status status = decoder.getStatus();
                if (status == DecoderJNI.Status.NEEDS_MORE_OUTPUT)
                {
                    decoder.push(0);
                    continue;
                }
                if (status == DecoderJNI.Status.ERROR)
                    throw new IOException("brotli stream is corrupt");
                return;
            }
        }
    }
}
