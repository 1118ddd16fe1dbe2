package dev.gatehouse.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A WebSocket upstream that speaks first, written against RFC 6455 on a plain socket so that
 * its timing is certain: its {@code 101} and its first message leave in one write, as Node's
 * {@code ws}, Socket.IO or a chat server's welcome often do. Then it echoes every text and binary
 * message, answers pings and closes. {@code ?burst=n} sends n numbered 1000-byte messages instead
 * of "welcome", in the same write. It records each handshake's headers and when it answered.
 */
public final class ServerFirstUpstream implements AutoCloseable
{
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** Each handshake's headers (names as sent), in order. */
    public final BlockingQueue<Map<String, String>> handshakes = new LinkedBlockingQueue<>();
    /** When each handshake was answered (System.nanoTime, just before the 101 is written). */
    public final BlockingQueue<Long> answeredNanos = new LinkedBlockingQueue<>();

    public ServerFirstUpstream() throws IOException
    {
        Thread acceptor = new Thread(this::accept, "server-first-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url()
    {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept()
    {
        while (!server.isClosed())
        {
            try
            {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> session(s), "server-first-session");
                t.setDaemon(true);
                t.start();
            }
            catch (IOException x)
            {
                return;
            }
        }
    }

    private void session(Socket socket)
    {
        try (socket)
        {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String requestLine = RawHttp.line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = RawHttp.line(in); line != null && !line.isEmpty(); line = RawHttp.line(in))
                headers.put(line.substring(0, line.indexOf(':')).trim(), line.substring(line.indexOf(':') + 1).trim());
            handshakes.add(headers);
            String key = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Sec-WebSocket-Key"))
                .map(Map.Entry::getValue).findFirst().orElse("");
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int burst = requestLine.contains("burst=") ? Integer.parseInt(requestLine.replaceAll(".*burst=(\\d+).*", "$1")) : 0;
            if (burst == 0)
                frame(first, 1, "welcome".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < burst; i++)
                frame(first, 1, (String.format("%06d", i) + "x".repeat(994)).getBytes(StandardCharsets.UTF_8));
            answeredNanos.add(System.nanoTime());
            out.write(first.toByteArray());
            out.flush();
            echo(in, out);
        }
        catch (Exception x)
        {
            // the proxy went away
        }
        finally
        {
            sockets.remove(socket);
        }
    }

    /** Echoes text and binary frames (client frames are masked), answers pings, returns the close. */
    private static void echo(InputStream in, OutputStream out) throws IOException
    {
        while (true)
        {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0)
                return;
            long len = b1 & 0x7f;
            if (len == 126)
                len = ((long)in.read() << 8) | in.read();
            else if (len == 127)
                len = ByteBuffer.wrap(in.readNBytes(8)).getLong();
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
            byte[] payload = in.readNBytes((int)len);
            for (int i = 0; i < payload.length; i++)
                payload[i] ^= mask[i % 4];
            int opcode = b0 & 0x0f;
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            if (opcode == 8)
            {
                frame(reply, 8, payload);
                out.write(reply.toByteArray());
                out.flush();
                return;
            }
            if (opcode == 10)
                continue;
            frame(reply, opcode == 9 ? 10 : opcode, payload);
            reply.writeTo(out);
            out.flush();
        }
    }

    /** One unmasked, final server frame. */
    private static void frame(ByteArrayOutputStream out, int opcode, byte[] payload)
    {
        out.write(0x80 | opcode);
        if (payload.length < 126)
        {
            out.write(payload.length);
        }
        else if (payload.length < 65536)
        {
            out.write(126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        }
        else
        {
            out.write(127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        out.writeBytes(payload);
    }

    @Override
    public void close() throws IOException
    {
        server.close();
        for (Socket s : List.copyOf(sockets))
            s.close();
    }
}
