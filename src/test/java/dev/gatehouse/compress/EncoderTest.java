package dev.gatehouse.compress;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.support.Decoding;
import dev.gatehouse.support.Origin;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderTest
{
    @Test
    void gzipFlushMakesEverythingSoFarDecodable() throws Exception
    {
        flushThenFinish(Encoder.gzip(5), new Decoding.PartialGzip());
    }

    @Test
    void brotliFlushMakesEverythingSoFarDecodable() throws Exception
    {
        assertTrue(Brotli.available(), "the linux-x86_64 brotli4j native library loads here");
        flushThenFinish(Encoder.brotli(4), new Decoding.PartialBrotli());
    }

    private static void flushThenFinish(Encoder encoder, Decoding.Partial decoder) throws Exception
    {
        List<ByteBuffer> out = new ArrayList<>();
        encoder.write(ByteBuffer.wrap("data: first\n\n".getBytes(StandardCharsets.UTF_8)), out);
        encoder.flush(out);
        assertEquals("data: first\n\n", decoder.feed(out));
        out.clear();
        // a direct buffer, as Jetty's network buffers are
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put("data: second\n\n".getBytes(StandardCharsets.UTF_8)).flip();
        encoder.write(direct, out);
        encoder.finish(out);
        assertEquals("data: second\n\n", decoder.feed(out));
        encoder.close();
    }

    @Test
    void compressesApiTextByMoreThanSeventyPercent() throws Exception
    {
        byte[] text = Origin.text(100_000);
        for (Encoder encoder : List.of(Encoder.gzip(5), Encoder.brotli(4)))
        {
            List<ByteBuffer> out = new ArrayList<>();
            encoder.write(ByteBuffer.wrap(text), out);
            encoder.finish(out);
            byte[] compressed = Decoding.concat(out);
            assertTrue(compressed.length < text.length * 0.3, encoder.coding() + ": " + compressed.length);
            byte[] back = encoder.coding() == Coding.GZIP ? Decoding.gunzip(compressed) : Decoding.unbrotli(compressed);
            assertEquals(new String(text, StandardCharsets.UTF_8), new String(back, StandardCharsets.UTF_8));
        }
    }
}
