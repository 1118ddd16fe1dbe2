package dev.gatehouse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP echo server on 127.0.0.1 (a thread per connection), the far end of CONNECT tests. */
public final class EchoServer implements AutoCloseable
{
    private final ServerSocket serverSocket;

    public EchoServer() throws IOException
    {
        serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port()
    {
        return serverSocket.getLocalPort();
    }

    private void accept()
    {
        while (!serverSocket.isClosed())
        {
            try
            {
                Socket socket = serverSocket.accept();
                Thread t = new Thread(() -> echo(socket), "echo");
                t.setDaemon(true);
                t.start();
            }
            catch (IOException x)
            {
                return;
            }
        }
    }

    private static void echo(Socket socket)
    {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream())
        {
            byte[] buffer = new byte[64 * 1024];
            int r;
            while ((r = in.read(buffer)) >= 0)
            {
                out.write(buffer, 0, r);
                out.flush();
            }
        }
        catch (IOException ignored)
        {
            // peer went away
        }
    }

    @Override
    public void close() throws IOException
    {
        serverSocket.close();
    }
}
