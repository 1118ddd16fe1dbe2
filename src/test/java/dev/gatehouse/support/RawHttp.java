package dev.gatehouse.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Raw-socket HTTP/1.1 for request lines no high-level client sends (absolute-URI, CONNECT, garbage). */
public final class RawHttp
{
    private RawHttp()
    {
    }

    /** A parsed response: status, headers (lower-case names, last wins), body as text. */
    public record Reply(int status, Map<String, String> headers, String body)
    {
        public String header(String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Sends {@code request} as is (with {@code Connection: close} expected in it) and reads the whole reply. */
    /** A forward-proxy (absolute-URI) GET of {@code http://authority/path} through the proxy on {@code proxyPort}. */
    public static Reply forward(int proxyPort, String authority, String path) throws IOException
    {
        return exchange(proxyPort, "GET http://" + authority + path + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
    }

    public static Reply exchange(int port, String request) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), true);
        }
    }

    /** Reads the status line and headers; with {@code body} the rest of the stream (or Content-Length bytes). */
    public static Reply read(InputStream in, boolean body) throws IOException
    {
        String statusLine = line(in);
        if (statusLine == null)
            throw new IOException("connection closed before a status line");
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty())
        {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (!body)
            return new Reply(status, headers, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (length != null)
        {
            long n = Long.parseLong(length);
            for (long i = 0; i < n; i++)
            {
                int b = in.read();
                if (b < 0)
                    break;
                out.write(b);
            }
        }
        else
        {
            in.transferTo(out);
        }
        return new Reply(status, headers, out.toString(StandardCharsets.UTF_8));
    }

    static String line(InputStream in) throws IOException
    {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0)
        {
            if (c == '\n')
                return b.toString();
            if (c != '\r')
                b.append((char)c);
        }
        return b.length() == 0 ? null : b.toString();
    }
}
