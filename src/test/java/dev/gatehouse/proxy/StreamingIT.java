package dev.gatehouse.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies stream: 1 GiB each way passes through a JVM whose whole heap is smaller than the body,
 * and the heap in use stays far below the body size; trickled responses arrive chunk by chunk.
 */
class StreamingIT
{
    static final long GIB = 1L << 30;
    static Origin origin;
    static Gatehouse proxy;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("stream");
        proxy = Gatehouse.start("routes", "app", "routes.app.targets", origin.url(), "limits.max-body-size", "0");
    }

    @AfterAll
    static void stop() throws Exception
    {
        proxy.close();
        origin.close();
    }

    /** Samples used heap while a transfer runs; reports the peak above the starting point. */
    static final class HeapWatch implements AutoCloseable
    {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final long baseline;
        private final Thread thread;

        HeapWatch()
        {
            System.gc();
            baseline = memory.getHeapMemoryUsage().getUsed();
            thread = new Thread(() ->
            {
                while (running.get())
                {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try
                    {
                        Thread.sleep(20);
                    }
                    catch (InterruptedException x)
                    {
                        return;
                    }
                }
            }, "heap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        long growth()
        {
            return Math.max(0, peak.get() - baseline);
        }

        @Override
        public void close() throws InterruptedException
        {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void streamsAGibibyteDownloadInFlatMemory() throws Exception
    {
        assertTrue(Runtime.getRuntime().maxMemory() < GIB, "the heap must be smaller than the body for this test to mean anything");
        long received = 0;
        long growth;
        try (HeapWatch watch = new HeapWatch())
        {
            HttpResponse<InputStream> response = Http.direct().send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/bytes?n=" + GIB)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (InputStream in = response.body())
            {
                byte[] buffer = new byte[256 * 1024];
                int r;
                while ((r = in.read(buffer)) >= 0)
                    received += r;
            }
            growth = watch.growth();
        }
        assertEquals(GIB, received);
        assertTrue(growth < 256L << 20, "heap grew by " + (growth >> 20) + " MiB while 1024 MiB passed through");
    }

    @Test
    void streamsAGibibyteUploadInFlatMemory() throws Exception
    {
        assertTrue(Runtime.getRuntime().maxMemory() < GIB);
        byte[] chunk = new byte[64 * 1024];
        long expectedSum = 0;
        for (int i = 0; i < chunk.length; i++)
        {
            chunk[i] = (byte)(i * 7);
            expectedSum += chunk[i] & 0xFF;
        }
        expectedSum *= GIB / chunk.length;
        HttpResponse<String> response;
        long growth;
        try (HeapWatch watch = new HeapWatch())
        {
            HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url() + "/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream()
                {
                    long left = GIB;
                    int pos;

                    @Override
                    public int read()
                    {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public int read(byte[] b, int off, int len)
                    {
                        if (left == 0)
                            return -1;
                        int n = (int)Math.min(Math.min(len, chunk.length - pos), left);
                        System.arraycopy(chunk, pos, b, off, n);
                        pos = (pos + n) % chunk.length;
                        left -= n;
                        return n;
                    }
                }))
                .build();
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            growth = watch.growth();
        }
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("bytes=" + GIB + " sum=" + expectedSum, response.body());
        assertTrue(growth < 256L << 20, "heap grew by " + (growth >> 20) + " MiB while 1024 MiB passed through");
    }

    @Test
    void trickledResponseReachesTheClientChunkByChunk() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /trickle?id=t1 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            RawHttp.Reply head = RawHttp.read(in, false);
            assertEquals(200, head.status());
            assertEquals("text/event-stream", head.header("Content-Type"));
            // The origin holds back its second event until we release it: the first must arrive
            // on its own, or the proxy is buffering.
            String first = readUntil(in, "data: first");
            assertTrue(first.contains("data: first"), first);
            origin.release("t1");
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(rest.contains("data: second"), rest);
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException
    {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0)
        {
            b.append((char)c);
            if (b.indexOf(marker) >= 0)
                return b.toString();
        }
        return b.toString();
    }

    /**
     * A body the proxy passes unchanged keeps the upstream's Content-Length (AsyncMiddleManServlet
     * alone would re-frame it as chunked); a body compressed on the way loses it, and so does a
     * body the upstream sent without one.
     */
    @Test
    void bodyPassedUnchangedKeepsItsContentLength() throws Exception
    {
        int n = 200_000;
        RawHttp.Reply plain = RawHttp.exchange(proxy.port(),
            "GET /text?n=" + n + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
        assertEquals(200, plain.status());
        assertEquals(String.valueOf(n), plain.header("Content-Length"));
        assertNull(plain.header("Transfer-Encoding"));
        assertEquals(new String(Origin.text(n), StandardCharsets.UTF_8), plain.body());

        RawHttp.Reply compressed = RawHttp.exchange(proxy.port(),
            "GET /text?n=" + n + " HTTP/1.1\r\nHost: app.test\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
        assertEquals("gzip", compressed.header("Content-Encoding"));
        assertNull(compressed.header("Content-Length"));

        RawHttp.Reply chunked = RawHttp.exchange(proxy.port(),
            "GET /bytes?n=" + n + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n");
        assertNull(chunked.header("Content-Length"));

        // an HTTP/1.0 client can keep its connection: the length frames the body
        try (Socket socket = new Socket("127.0.0.1", proxy.port()))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 2; i++)
            {
                out.write(("GET /text?n=" + n + " HTTP/1.0\r\nHost: app.test\r\nConnection: keep-alive\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                RawHttp.Reply reply = RawHttp.read(in, true);
                assertEquals(200, reply.status());
                assertEquals(n, reply.body().length(), "response " + i);
            }
        }
    }
}
