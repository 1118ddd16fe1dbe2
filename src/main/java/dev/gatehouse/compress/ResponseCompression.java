package dev.gatehouse.compress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.http.ContextAttributes;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.component.Destroyable;

/**
 * Response compression inside the proxy servlet: decides on the upstream's headers, edits the
 * client response's headers before anything is written, and puts a compressing
 * {@link ContentTransformer} in front of the servlet's other response transformers. It runs in
 * the servlet's own non-blocking write path, so it works the same embedded and in any container.
 */
public final class ResponseCompression
{
    /** The servlet-context attribute under which the application publishes response compression. */
    public static final String ATTRIBUTE = ResponseCompression.class.getName();

    /** Response compression published in this servlet context. */
    public static ResponseCompression from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, ResponseCompression.class);
    }

    private static final String CHOSEN_ATTRIBUTE = "dev.gatehouse.compression";

    private record Chosen(Coding coding, boolean flushEachChunk, boolean[] started)
    {
    }

    /** The policy compiled for one configuration; replaced as a whole when a reload brings another. */
    private record Compiled(ProtocolConfig.Compression config, CompressionPolicy policy)
    {
    }

    private volatile Compiled compiled;

    private CompressionPolicy policy(ProtocolConfig.Compression current)
    {
        Compiled c = compiled;
        if (c == null || c.config() != current)
            compiled = c = new Compiled(current, new CompressionPolicy(current));
        return c.policy();
    }

    /**
     * Called once the upstream's headers are copied to the client response.
     *
     * @param streaming the upstream sent no Content-Length: flush after every chunk
     */
    void onHeaders(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                          Response serverToProxyResponse, ProtocolConfig.Compression current, boolean streaming)
    {
        if (!current.enabled())
            return;
        CompressionPolicy.Decision decision = policy(current).decide(clientToProxyRequest.getMethod(),
            clientToProxyRequest.getHeader("Accept-Encoding"), serverToProxyResponse.getStatus(),
            name -> serverToProxyResponse.getHeaders().get(name), Brotli.available());
        if (!decision.vary())
            return;
        proxyToClientResponse.setHeader("Vary", HeaderValues.varyWithAcceptEncoding(joined(proxyToClientResponse.getHeaders("Vary"))));
        if (serverToProxyResponse.getStatus() == 304)
            notModified(clientToProxyRequest, proxyToClientResponse, null);
        if (!decision.compress())
            return;
        proxyToClientResponse.setHeader("Content-Encoding", decision.coding().token());
        proxyToClientResponse.setContentLength(-1);
        proxyToClientResponse.setHeader("Content-Length", null);
        tagETag(proxyToClientResponse, decision.coding());
        clientToProxyRequest.setAttribute(CHOSEN_ATTRIBUTE, new Chosen(decision.coding(), streaming, new boolean[1]));
    }

    /** The response transformer: compression followed by {@code next}, or null when the response is not compressed. */
    ContentTransformer transformer(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                   ContentTransformer next, ProtocolConfig.Compression current)
    {
        if (!(clientToProxyRequest.getAttribute(CHOSEN_ATTRIBUTE) instanceof Chosen chosen))
            return null;
        chosen.started()[0] = true;
        return new Chain(new CompressingTransformer(chosen.coding(), current.gzipLevel(), current.brotliQuality(),
            chosen.flushEachChunk(), proxyToClientResponse), next);
    }

    /**
     * A response written whole from memory (a cache hit): the same decision on the stored headers,
     * the same header edits (Vary, Content-Encoding, the coding's ETag), and the coding its body must be
     * written in ({@link Coding#IDENTITY}: as stored). The caller sets the length of what it writes.
     */
    public Coding onStoredHeaders(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse, int status,
                                  Function<String, String> storedHeader, ProtocolConfig.Compression current)
    {
        if (!current.enabled())
            return Coding.IDENTITY;
        CompressionPolicy.Decision decision = policy(current).decide(clientToProxyRequest.getMethod(),
            clientToProxyRequest.getHeader("Accept-Encoding"), status, storedHeader, Brotli.available());
        if (!decision.vary())
            return Coding.IDENTITY;
        proxyToClientResponse.setHeader("Vary", HeaderValues.varyWithAcceptEncoding(joined(proxyToClientResponse.getHeaders("Vary"))));
        if (status == 304)
        {
            // the coding the stored response would be sent in: the 304's tag when the client named none
            Coding full = policy(current).decide(clientToProxyRequest.getMethod(), clientToProxyRequest.getHeader("Accept-Encoding"),
                200, storedHeader, Brotli.available()).coding();
            notModified(clientToProxyRequest, proxyToClientResponse, full);
            return Coding.IDENTITY;
        }
        if (!decision.compress())
            return Coding.IDENTITY;
        proxyToClientResponse.setHeader("Content-Encoding", decision.coding().token());
        tagETag(proxyToClientResponse, decision.coding());
        return decision.coding();
    }

    /** A whole body in one coding, at the configured level. */
    public static byte[] encode(Coding coding, byte[] body, ProtocolConfig.Compression current) throws IOException
    {
        List<ByteBuffer> out = new ArrayList<>();
        try (Encoder encoder = coding == Coding.BROTLI ? Encoder.brotli(current.brotliQuality()) : Encoder.gzip(current.gzipLevel()))
        {
            encoder.write(ByteBuffer.wrap(body), out);
            encoder.finish(out);
            int length = 0;
            for (ByteBuffer b : out)
                length += b.remaining();
            byte[] encoded = new byte[length];
            int at = 0;
            for (ByteBuffer b : out)
            {
                int n = b.remaining();
                b.get(encoded, at, n);
                at += n;
            }
            return encoded;
        }
    }

    /** A response that turned out to have no body at all goes out without Content-Encoding. */
    void onSuccess(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        if (clientToProxyRequest.getAttribute(CHOSEN_ATTRIBUTE) instanceof Chosen chosen && !chosen.started()[0]
            && !proxyToClientResponse.isCommitted())
            proxyToClientResponse.setHeader("Content-Encoding", null);
    }

    /** A compressed body's ETag: the upstream's with the coding appended ({@link CodingETags}). */
    private static void tagETag(HttpServletResponse response, Coding coding)
    {
        String etag = response.getHeader("ETag");
        if (etag != null)
            response.setHeader("ETag", CodingETags.tag(etag, coding));
    }

    /**
     * A 304 stands for the representation the client holds: the one whose tag it sent (its
     * coding suffix was taken off on the way in and goes back on), else {@code otherwise} (null:
     * unknown, the tag stays). A 304 for a compressed body carries no identity Content-Length.
     */
    private static void notModified(HttpServletRequest request, HttpServletResponse response, Coding otherwise)
    {
        String etag = response.getHeader("ETag");
        String inm = request.getHeader("If-None-Match");
        Coding coding = inm != null ? CodingETags.answered(inm, etag) : otherwise == null ? Coding.IDENTITY : otherwise;
        if (coding == Coding.IDENTITY)
            return;
        tagETag(response, coding);
        response.setContentLength(-1);
        response.setHeader("Content-Length", null);
    }

    private static String joined(Collection<String> values)
    {
        return values == null || values.isEmpty() ? null : String.join(", ", values);
    }

    /** Runs {@code first}, then {@code second} on each of its outputs. */
    static final class Chain implements ContentTransformer, Destroyable
    {
        private final ContentTransformer first;
        private final ContentTransformer second;
        private final List<ByteBuffer> between = new ArrayList<>();

        Chain(ContentTransformer first, ContentTransformer second)
        {
            this.first = first;
            this.second = second;
        }

        @Override
        public void transform(ByteBuffer input, boolean finished, List<ByteBuffer> output) throws IOException
        {
            between.clear();
            first.transform(input, finished, between);
            if (between.isEmpty())
            {
                if (finished)
                    second.transform(BufferUtil.EMPTY_BUFFER, true, output);
                return;
            }
            for (int i = 0; i < between.size(); i++)
                second.transform(between.get(i), finished && i == between.size() - 1, output);
            between.clear();
        }

        @Override
        public void destroy()
        {
            if (first instanceof Destroyable d)
                d.destroy();
            if (second instanceof Destroyable d)
                d.destroy();
        }
    }
}
