package dev.gatehouse.cache;

import dev.gatehouse.proxy.Exchange;
import dev.gatehouse.proxy.ProxyParticipant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

/**
 * The response cache's part in a proxied exchange, for requests the {@link CacheFilter} sent
 * upstream (a {@link CacheExchange} attribute; every hook returns at once for the others): the
 * stored response's validators go upstream, a 304 to them or a 5xx under stale-if-error is
 * answered from the cache, a storable body is captured as it streams, and the cache status
 * headers are set.
 */
public final class CacheParticipant implements ProxyParticipant
{
    @Override
    public void onRequestHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        CacheExchange.addValidators(clientToProxyRequest, proxyToServerRequest);
    }

    @Override
    public boolean onResponseHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        return CacheExchange.onResponseHeaders(clientToProxyRequest, serverToProxyResponse);
    }

    @Override
    public void onResponseHeadersCopied(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                        Response serverToProxyResponse, boolean streaming)
    {
        CacheExchange.afterHeaders(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse);
    }

    @Override
    public ContentTransformer responseTransformer(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                                  ContentTransformer next)
    {
        return CacheExchange.transformer(clientToProxyRequest, next);
    }

    @Override
    public boolean onSuccess(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        return CacheExchange.onSuccess(clientToProxyRequest);
    }

    @Override
    public boolean onFailure(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                             Throwable failure, boolean upstreamCaused)
    {
        return CacheExchange.serveStaleOnFailure(clientToProxyRequest, proxyToClientResponse);
    }
}
