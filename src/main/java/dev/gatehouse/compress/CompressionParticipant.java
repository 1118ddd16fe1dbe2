package dev.gatehouse.compress;

import java.util.function.Function;

import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.proxy.Exchange;
import dev.gatehouse.proxy.ProxyParticipant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet.ContentTransformer;

/**
 * Response compression's part in a proxied exchange: the client's coding-suffixed entity tags go
 * upstream without the suffix ({@link CodingETags#forUpstream}), the decision is made on the
 * copied headers ({@link ResponseCompression#onHeaders}), the body is compressed as it streams,
 * and a response that turned out to have no body loses its Content-Encoding.
 */
public final class CompressionParticipant implements ProxyParticipant
{
    private final ResponseCompression compression;
    private final Function<HttpServletRequest, ProtocolConfig.Compression> config;

    /** @param config the compression configuration a request uses (its pinned snapshot's) */
    public CompressionParticipant(ResponseCompression compression, Function<HttpServletRequest, ProtocolConfig.Compression> config)
    {
        this.compression = compression;
        this.config = config;
    }

    @Override
    public void onRequestHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        if (config.apply(clientToProxyRequest).enabled())
            proxyToServerRequest.headers(CodingETags::forUpstream);
    }

    @Override
    public void onResponseHeadersCopied(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                        Response serverToProxyResponse, boolean streaming)
    {
        compression.onHeaders(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse, config.apply(clientToProxyRequest), streaming);
    }

    @Override
    public ContentTransformer responseTransformer(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                                  ContentTransformer next)
    {
        return compression.transformer(clientToProxyRequest, proxyToClientResponse, next, config.apply(clientToProxyRequest));
    }

    @Override
    public boolean onSuccess(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        compression.onSuccess(clientToProxyRequest, proxyToClientResponse);
        return false;
    }
}
