package dev.gatehouse.web;

import java.util.List;

import dev.gatehouse.cache.CacheParticipant;
import dev.gatehouse.cache.CacheRefresh;
import dev.gatehouse.compress.Brotli;
import dev.gatehouse.compress.CompressionParticipant;
import dev.gatehouse.proxy.ContentTypeBlocking;
import dev.gatehouse.proxy.HeaderEdits;
import dev.gatehouse.proxy.ProxyParticipant;
import dev.gatehouse.proxy.UpstreamAccounting;
import jakarta.servlet.ServletContext;

/**
 * The proxy servlet's per-request participants, in the order it calls them (see
 * docs/architecture.md, "Per-request participants"), published as the servlet-context attribute
 * {@link ProxyParticipant#ATTRIBUTE}; and the cache's background refresh, which goes through the
 * proxy servlet's {@code BackgroundRequests}.
 */
public final class ProxyParticipants
{
    private ProxyParticipants()
    {
    }

    public static void install(ServletContext servletContext, GatehouseContext context)
    {
        if (context.config().protocols().compression().enabled())
            Brotli.available(); // loads the native library now; logs once if it cannot
        List<ProxyParticipant> participants = List.of(
            new UpstreamAccounting(context.observability()),
            new HeaderEdits(),
            new CompressionParticipant(context.compression(), request -> Snapshot.of(request, context).config().protocols().compression()),
            new CacheParticipant(),
            new ContentTypeBlocking(context));
        servletContext.setAttribute(ProxyParticipant.ATTRIBUTE, participants);
        context.cacheRefresher(new CacheRefresh(context));
    }
}
