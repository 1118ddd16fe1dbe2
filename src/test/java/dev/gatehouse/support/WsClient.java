package dev.gatehouse.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (the JDK's, an implementation independent of the proxy's) that collects
 * what arrives: whole text messages, whole binary messages, pings and the close. With
 * {@code autoRead=false} it reads nothing until {@link #read(long)} asks for more (a slow reader).
 */
public final class WsClient implements AutoCloseable
{
    public final BlockingQueue<String> texts;
    public final BlockingQueue<byte[]> binaries;
    public final BlockingQueue<ByteBuffer> pings;
    /** The close the proxy sent: "code reason". */
    public final CompletableFuture<String> closed;
    public final WebSocket socket;

    /** What arrives is collected by the listener itself: a server may speak before the handshake future completes. */
    private WsClient(WebSocket socket, Listener listener)
    {
        this.socket = socket;
        this.texts = listener.texts;
        this.binaries = listener.binaries;
        this.pings = listener.pings;
        this.closed = listener.closed;
    }

    public static WsClient connect(String url, List<String> subprotocols, String... headers) throws Exception
    {
        return connect(url, subprotocols, true, headers);
    }

    /** Connects; a refused handshake throws (a {@link java.net.http.WebSocketHandshakeException} in the cause). */
    public static WsClient connect(String url, List<String> subprotocols, boolean autoRead, String... headers) throws Exception
    {
        Listener listener = new Listener(autoRead);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (!subprotocols.isEmpty())
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
        for (int i = 0; i < headers.length; i += 2)
            builder.header(headers[i], headers[i + 1]);
        WebSocket socket = builder.buildAsync(URI.create(url), listener).get(15, TimeUnit.SECONDS);
        return new WsClient(socket, listener);
    }

    public void send(String text) throws Exception
    {
        socket.sendText(text, true).get(30, TimeUnit.SECONDS);
    }

    public void send(byte[] data) throws Exception
    {
        socket.sendBinary(ByteBuffer.wrap(data), true).get(30, TimeUnit.SECONDS);
    }

    public String nextText() throws InterruptedException
    {
        String t = texts.poll(30, TimeUnit.SECONDS);
        if (t == null)
            throw new AssertionError("no text message within 30s; closed: " + closed.getNow(null));
        return t;
    }

    public byte[] nextBinary() throws InterruptedException
    {
        byte[] b = binaries.poll(30, TimeUnit.SECONDS);
        if (b == null)
            throw new AssertionError("no binary message within 30s; closed: " + closed.getNow(null));
        return b;
    }

    public String awaitClose() throws Exception
    {
        return closed.get(30, TimeUnit.SECONDS);
    }

    /** Lets the listener read n more frames. */
    public void read(long n)
    {
        socket.request(n);
    }

    @Override
    public void close()
    {
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener
    {
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
        private final BlockingQueue<ByteBuffer> pings = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> closed = new CompletableFuture<>();
        private final boolean autoRead;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        Listener(boolean autoRead)
        {
            this.autoRead = autoRead;
        }

        @Override
        public void onOpen(WebSocket webSocket)
        {
            if (autoRead)
                webSocket.request(1);
        }

        private void more(WebSocket webSocket)
        {
            if (autoRead)
                webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
        {
            text.append(data);
            if (last)
            {
                texts.add(text.toString());
                text.setLength(0);
            }
            more(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last)
        {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last)
            {
                binaries.add(binary.toByteArray());
                binary.reset();
            }
            more(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message)
        {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            pings.add(copy);
            more(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message)
        {
            more(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason)
        {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error)
        {
            closed.complete("error " + error);
        }
    }
}
