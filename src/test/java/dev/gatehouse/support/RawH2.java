package dev.gatehouse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PrefaceFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.generator.Generator;
import org.eclipse.jetty.http2.hpack.HpackException;
import org.eclipse.jetty.http2.parser.Parser;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * HTTP/2 with prior knowledge at the frame level, for what well-behaved clients never send
 * (streams beyond the advertised limit, reset floods, oversized header lists, CONNECT streams).
 * Frames the server sends are queued; a closed connection queues {@link #CLOSED}.
 */
public final class RawH2 implements AutoCloseable
{
    /** Queued when the server closes the connection. */
    public static final GoAwayFrame CLOSED = new GoAwayFrame(-1, -1, null);

    private final Socket socket;
    private final OutputStream out;
    private final ArrayByteBufferPool pool = new ArrayByteBufferPool();
    private final Generator generator = new Generator(pool);
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    public RawH2(int port) throws IOException
    {
        // room to encode header lists larger than a server accepts
        generator.getHpackEncoder().setMaxHeaderListSize(256 * 1024);
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        Parser parser = new Parser(pool, 64 * 1024);
        parser.init(new Parser.Listener()
        {
            @Override
            public void onData(DataFrame frame)
            {
                // the parser's buffer is reused: keep a copy
                ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
                copy.put(frame.getByteBuffer().slice()).flip();
                frames.add(new DataFrame(frame.getStreamId(), copy, frame.isEndStream()));
            }

            @Override
            public void onHeaders(HeadersFrame frame)
            {
                frames.add(frame);
            }

            @Override
            public void onReset(ResetFrame frame)
            {
                frames.add(frame);
            }

            @Override
            public void onSettings(SettingsFrame frame)
            {
                frames.add(frame);
            }

            @Override
            public void onGoAway(GoAwayFrame frame)
            {
                frames.add(frame);
            }
        });
        InputStream in = socket.getInputStream();
        reader = new Thread(() ->
        {
            byte[] buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = in.read(buffer)) >= 0)
                    parser.parse(ByteBuffer.wrap(buffer, 0, n));
            }
            catch (IOException ignored)
            {
                // closed
            }
            frames.add(CLOSED);
        }, "raw-h2-reader");
        reader.setDaemon(true);
        reader.start();
        send(new PrefaceFrame(), new SettingsFrame(Map.of(), false));
    }

    public void send(Frame... toSend) throws IOException
    {
        RetainableByteBuffer.Mutable buffer = new RetainableByteBuffer.DynamicCapacity();
        try
        {
            for (Frame frame : toSend)
            {
                if (frame instanceof DataFrame data)
                    generator.data(buffer, data, data.remaining());
                else
                    generator.control(buffer, frame);
            }
            ByteBuffer bytes = buffer.getByteBuffer();
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            out.write(array);
            out.flush();
        }
        catch (HpackException x)
        {
            throw new IOException(x);
        }
        finally
        {
            buffer.release();
        }
    }

    /** A request HEADERS frame; the authority decides where the proxy sends it. */
    public static HeadersFrame request(int streamId, String method, String authorityHost, int authorityPort, String path,
                                       HttpFields fields, boolean endStream)
    {
        HttpURI uri = HttpURI.build().scheme("http").host(authorityHost).port(authorityPort).pathQuery(path);
        return new HeadersFrame(streamId, new MetaData.Request(method, uri, HttpVersion.HTTP_2, fields), null, endStream);
    }

    /** A plain CONNECT (RFC 9113 §8.5): only :method and :authority. */
    public static HeadersFrame connect(int streamId, String host, int port)
    {
        MetaData.Request request = new MetaData.Request("CONNECT", null, new HostPortHttpField(host + ":" + port),
            null, HttpVersion.HTTP_2, HttpFields.EMPTY, -1);
        return new HeadersFrame(streamId, request, null, false);
    }

    /** The next frame that matches, skipping others; null if none arrives in time. */
    public Frame await(Predicate<Frame> match, Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            long left = deadline - System.nanoTime();
            if (left <= 0)
                return null;
            Frame f = frames.poll(left, TimeUnit.NANOSECONDS);
            if (f == null)
                return null;
            if (match.test(f))
                return f;
            if (f == CLOSED)
            {
                frames.add(CLOSED);
                return match.test(f) ? f : null;
            }
        }
    }

    public static int status(Frame headers)
    {
        return ((MetaData.Response)((HeadersFrame)headers).getMetaData()).getStatus();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
