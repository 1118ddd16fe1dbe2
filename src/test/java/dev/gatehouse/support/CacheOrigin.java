package dev.gatehouse.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A scriptable origin for cache tests: each path answers what the test's function returns for
 * the request, and the origin counts requests per path (hits are proven by the count not moving)
 * and keeps the last request's headers. Unscripted paths answer 404.
 */
public final class CacheOrigin implements AutoCloseable
{
    /** What a path answers. */
    public record Reply(int status, Map<String, String> headers, byte[] body)
    {
        public static Reply of(int status, String body, String... headers)
        {
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 0; i < headers.length; i += 2)
                h.put(headers[i], headers[i + 1]);
            return new Reply(status, h, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A reply that makes the origin close the connection without answering. */
    public static final Reply DROP = new Reply(0, Map.of(), new byte[0]);

    /** A reply header that makes the origin send the body chunked, without Content-Length. */
    public static final String CHUNKED = "X-Test-Chunked";

    private final Server server = new Server();
    private final ServerConnector connector;
    private final Map<String, Function<HttpFields, Reply>> paths = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, HttpFields> last = new ConcurrentHashMap<>();
    private volatile long delayMillis;

    public CacheOrigin() throws Exception
    {
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract()
        {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception
            {
                String path = request.getHttpURI().getPath();
                counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
                last.put(path, request.getHeaders().asImmutable());
                if (delayMillis > 0)
                    Thread.sleep(delayMillis);
                Function<HttpFields, Reply> f = paths.get(path);
                Reply reply = f == null ? Reply.of(404, "no such path") : f.apply(request.getHeaders());
                if (reply == DROP)
                {
                    // no answer at all: the connection is closed under the request
                    request.getConnectionMetaData().getConnection().getEndPoint().close();
                    callback.failed(new IOException("dropped by the test origin"));
                    return true;
                }
                response.setStatus(reply.status());
                reply.headers().forEach((k, v) -> response.getHeaders().add(k, v));
                if (reply.status() == 304 || reply.status() == 204 || "HEAD".equals(request.getMethod()))
                    callback.succeeded();
                else if (reply.headers().containsKey(CHUNKED))
                {
                    // two writes without a length: the body goes out chunked
                    byte[] b = reply.body();
                    int half = b.length / 2;
                    response.write(false, ByteBuffer.wrap(b, 0, half), Callback.from(
                        () -> response.write(true, ByteBuffer.wrap(b, half, b.length - half), callback), callback::failed));
                }
                else
                    response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }
        });
        server.start();
    }

    /** Scripts a path. */
    public CacheOrigin on(String path, Function<HttpFields, Reply> reply)
    {
        paths.put(path, reply);
        return this;
    }

    /** Scripts a path with a fixed reply. */
    public CacheOrigin on(String path, int status, String body, String... headers)
    {
        Reply r = Reply.of(status, body, headers);
        return on(path, h -> r);
    }

    /** Every request waits this long before it is answered (makes concurrent misses overlap). */
    public void delay(long millis)
    {
        this.delayMillis = millis;
    }

    public int count(String path)
    {
        AtomicInteger c = counts.get(path);
        return c == null ? 0 : c.get();
    }

    public HttpFields lastRequest(String path)
    {
        return last.get(path);
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    public String url()
    {
        return "http://127.0.0.1:" + port();
    }

    public void stop() throws Exception
    {
        server.stop();
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}
