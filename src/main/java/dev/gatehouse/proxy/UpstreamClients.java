package dev.gatehouse.proxy;

import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.tls.UpstreamTlsSettings;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream side of the proxy servlet's HTTP clients: TLS verification (or a route's explicit
 * opt-out), the client certificate, and the protocol. One client serves one protocol: HTTP/1.1
 * clients speak only HTTP/1.1; HTTP/2 clients put HTTP/2 first, which means prior knowledge on
 * clear text (h2c; Jetty's client does not do {@code Upgrade: h2c}) and ALPN offering h2 then
 * http/1.1 over TLS.
 */
final class UpstreamClients
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

    private UpstreamClients()
    {
    }

    /** Configures the connector's TLS; returns an HTTP/2-first client, or null for the servlet's default HTTP/1.1 one. */
    static HttpClient prepare(ClientConnector connector, ProtocolConfig protocols, ProtocolConfig.RouteTransport transport)
    {
        if (transport.insecure())
            LOG.warn("upstream TLS certificates and host names are NOT verified for routes with tls.insecure=true");
        UpstreamTlsSettings.apply(connector.getSslContextFactory(), protocols.upstreamTls(), transport.insecure());
        if (transport.protocol() == ProtocolConfig.UpstreamProtocol.HTTP_1_1)
            return null;
        HTTP2Client http2 = new HTTP2Client(connector);
        return new HttpClient(new HttpClientTransportDynamic(connector,
            new ClientConnectionFactoryOverHTTP2.HTTP2(http2), HttpClientConnectionFactory.HTTP11));
    }
}
