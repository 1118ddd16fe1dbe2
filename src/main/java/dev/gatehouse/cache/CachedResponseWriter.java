package dev.gatehouse.cache;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.gatehouse.compress.Coding;
import dev.gatehouse.compress.ResponseCompression;
import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.http.ByteCounts;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.routing.HeaderEdits;
import dev.gatehouse.routing.Route;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes a stored response to a client: the stored header fields under the same header policy as
 * a proxied response (removed headers, security headers, the route's edits), a correct
 * {@code Age}, the cache status headers, and the body (or one range of it). A small body is
 * written at once; a larger one asynchronously, so a slow client does not hold a thread.
 */
final class CachedResponseWriter
{
    /** Bodies up to this size are written with one blocking write (it fits the output buffer). */
    static final int DIRECT_WRITE_MAX = 32 * 1024;

    private CachedResponseWriter()
    {
    }

    /**
     * @param notModified answer 304 (the client's precondition matched)
     * @param validated   the response was just validated (qualified no-cache fields may be sent)
     * @param range       one range of the body to answer with 206 (or 416), or null for all of it
     */
    static void write(HttpServletRequest request, HttpServletResponse response, StoredResponse stored, long now,
                      Snapshot snapshot, ResponseCompression compression, Route route, boolean notModified, boolean validated,
                      String xCacheStatus, String cacheStatus, ByteRange range)
        throws IOException
    {
        Policy policy = snapshot.policy();
        int length = stored.body.length;
        if (range != null && range.unsatisfiable() && !notModified)
        {
            OwnHeaders.set(request, response, "Content-Range", "bytes */" + length);
            OwnHeaders.set(request, response, "Age", Long.toString(stored.ageSeconds(now)));
            CacheHeaders.status(request, response, xCacheStatus, cacheStatus);
            ErrorResponse.send(request, response, ErrorCode.RANGE_NOT_SATISFIABLE,
                "The requested range is beyond the " + length + " bytes of the response");
            return;
        }
        response.setStatus(notModified ? 304 : range != null ? 206 : stored.status);
        headers(request, response, stored.hitFields(policy, validated, notModified));
        response.setHeader("Age", Long.toString(stored.ageSeconds(now)));
        CacheHeaders.status(request, response, xCacheStatus, cacheStatus);
        if (route != null)
            HeaderEdits.applyToResponse(route.config().policy(), response);
        byte[] body = stored.body;
        if (range == null)
            body = compressed(request, response, stored, notModified, snapshot, compression);
        if (notModified)
            return;
        if (range != null)
        {
            response.setHeader("Content-Range", "bytes " + range.start() + "-" + range.end() + "/" + length);
            writeBody(request, response, stored.body, (int)range.start(), (int)range.length());
        }
        else
        {
            writeBody(request, response, body, 0, body.length);
        }
    }

    /**
     * The proxy's response compression applies to hits as to misses (the cache stores the
     * upstream's bytes, before compression): the same decision and header edits, and the body in
     * the client's coding, encoded once per entry.
     */
    private static byte[] compressed(HttpServletRequest request, HttpServletResponse response, StoredResponse stored, boolean notModified,
                                     Snapshot snapshot, ResponseCompression compression)
        throws IOException
    {
        ProtocolConfig.Compression config = snapshot.config().protocols().compression();
        Coding coding = compression.onStoredHeaders(request, response, notModified ? 304 : stored.status, stored::field, config);
        if (coding == Coding.IDENTITY)
            return stored.body;
        return stored.encoded(coding, body -> ResponseCompression.encode(coding, body, config));
    }

    /** Only the proxy's and the container's own fields are on the response yet ({@link OwnHeaders#replaceOrAdd}). */
    private static void headers(HttpServletRequest request, HttpServletResponse response, StoredResponse.HitFields fields)
    {
        String[] names = fields.names();
        String[] values = fields.values();
        boolean[] first = fields.first();
        for (int i = 0; i < names.length; i++)
        {
            if (first[i])
                OwnHeaders.replaceOrAdd(request, response, names[i], values[i]);
            else
                response.addHeader(names[i], values[i]);
        }
    }

    private static void writeBody(HttpServletRequest request, HttpServletResponse response, byte[] body, int offset, int length)
        throws IOException
    {
        response.setContentLengthLong(length);
        if ("HEAD".equals(request.getMethod()) || length == 0)
            return;
        // the access log's bytes_sent, as the proxy's writer counts a proxied body
        ByteCounts counts = ByteCounts.of(request);
        if (length <= DIRECT_WRITE_MAX || !request.isAsyncSupported())
        {
            response.getOutputStream().write(body, offset, length);
            counts.sent = length;
            return;
        }
        AsyncContext async = request.isAsyncStarted() ? request.getAsyncContext() : request.startAsync();
        async.setTimeout(0);
        ServletOutputStream out = response.getOutputStream();
        ByteBuffer left = ByteBuffer.wrap(body, offset, length);
        out.setWriteListener(new WriteListener()
        {
            @Override
            public void onWritePossible() throws IOException
            {
                while (out.isReady())
                {
                    if (!left.hasRemaining())
                    {
                        async.complete();
                        return;
                    }
                    int n = Math.min(left.remaining(), 64 * 1024);
                    out.write(body, left.position(), n);
                    left.position(left.position() + n);
                    counts.sent += n;
                }
            }

            @Override
            public void onError(Throwable failure)
            {
                async.complete();
            }
        });
    }
}
