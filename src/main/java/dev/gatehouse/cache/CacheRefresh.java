package dev.gatehouse.cache;

import java.util.Enumeration;

import dev.gatehouse.proxy.BackgroundRequests;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * stale-while-revalidate: refreshes a stale response in the background through the proxy's
 * {@link BackgroundRequests} (the target the request would go to, with its headers as the proxy
 * would forward them), asking with the stored validators. The result updates the cache.
 */
public final class CacheRefresh implements Refresher
{
    private static final Logger LOG = LoggerFactory.getLogger(CacheRefresh.class);
    private static final HttpHeader[] CONDITIONALS = {HttpHeader.IF_NONE_MATCH, HttpHeader.IF_MODIFIED_SINCE,
        HttpHeader.IF_MATCH, HttpHeader.IF_UNMODIFIED_SINCE, HttpHeader.IF_RANGE, HttpHeader.RANGE};

    private final GatehouseContext context;
    private final ResponseCache cache;

    public CacheRefresh(GatehouseContext context, ResponseCache cache)
    {
        this.context = context;
        this.cache = cache;
    }

    @Override
    public void refresh(HttpServletRequest request, StoredResponse stale, Runnable done)
    {
        try
        {
            if (!send(request, stale, done))
                done.run();
        }
        catch (RuntimeException x)
        {
            LOG.warn("background refresh not started", x);
            done.run();
        }
    }

    private boolean send(HttpServletRequest request, StoredResponse stale, Runnable done)
    {
        if (!(request.getServletContext().getAttribute(BackgroundRequests.ATTRIBUTE) instanceof BackgroundRequests proxy))
            return false;
        Request upstream = proxy.newGet(request);
        if (upstream == null)
            return false;
        String etag = stale.headers().get("ETag");
        String lastModified = stale.headers().get("Last-Modified");
        upstream.headers(h ->
        {
            for (HttpHeader conditional : CONDITIONALS)
                h.remove(conditional);
            if (etag != null)
                h.put(HttpHeader.IF_NONE_MATCH, etag);
            if (lastModified != null)
                h.put(HttpHeader.IF_MODIFIED_SINCE, lastModified);
        });
        HttpFields requestHeaders = copy(request);
        long maxObject = Snapshot.of(request, context).config().cache().maxObjectSize();
        long requestTime = cache.now();
        upstream.send(new BufferingResponseListener((int)Math.min(Integer.MAX_VALUE, maxObject))
        {
            @Override
            public void onComplete(Result result)
            {
                try
                {
                    if (!result.isFailed() || (result.getResponse() != null && result.getResponse().getStatus() == 304))
                    {
                        cache.refreshed(stale, requestHeaders, result.getResponse().getStatus(), result.getResponse().getHeaders(),
                            result.isFailed() ? null : getContent(), requestTime, cache.now());
                    }
                }
                catch (RuntimeException x)
                {
                    LOG.warn("background refresh result not stored", x);
                }
                finally
                {
                    done.run();
                }
            }
        });
        return true;
    }

    private static HttpFields copy(HttpServletRequest request)
    {
        HttpFields.Mutable fields = HttpFields.build();
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements())
        {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements())
                fields.add(name, values.nextElement());
        }
        return fields.asImmutable();
    }
}
