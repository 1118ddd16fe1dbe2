package dev.gatehouse.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.policy.SsrfResolver;
import dev.gatehouse.tls.UpstreamTlsSettings;
import dev.gatehouse.web.GatehouseContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy servlet's upstream HTTP clients, one per {@link Key}, started with the servlet and
 * stopped with it. The servlet's own client (Jetty made it from the servlet's init-params:
 * executor, connection limit, buffers) serves routes with the global connect timeout and the
 * default transport; every other key gets a client configured like it. The forward-proxy client
 * resolves through the SSRF guard: its destinations are chosen by clients, while routes go to
 * operator-written targets (trusted, may be private).
 *
 * <p>TLS verification (or a route's explicit opt-out), the client certificate and the protocol
 * come from the key: HTTP/1.1 clients speak only HTTP/1.1; HTTP/2 clients put HTTP/2 first, which
 * means prior knowledge on clear text (h2c; Jetty's client does not do {@code Upgrade: h2c}) and
 * ALPN offering h2 then http/1.1 over TLS.
 */
public final class UpstreamClients
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClients.class);

    /** What makes two upstream clients differ. */
    record Key(Duration connectTimeout, ProtocolConfig.RouteTransport transport, boolean forward)
    {
    }

    private final GatehouseContext context;
    private final HttpClient main;
    private final Supplier<ClientConnector> connectors;
    private final Supplier<ProtocolHandler> continueHandlers;
    private final Map<Key, HttpClient> clients = new ConcurrentHashMap<>();
    private final HttpClient forward;

    /**
     * @param main             the servlet's own client, already started
     * @param connectors       new connectors, as the servlet makes them
     * @param continueHandlers the proxy's {@code Expect: 100-continue} handler, one per client
     */
    UpstreamClients(GatehouseContext context, HttpClient main, Supplier<ClientConnector> connectors,
                    Supplier<ProtocolHandler> continueHandlers)
    {
        this.context = context;
        this.main = main;
        this.connectors = connectors;
        this.continueHandlers = continueHandlers;
        this.forward = create(new Key(context.config().connectTimeout(), ProtocolConfig.RouteTransport.DEFAULT, true));
    }

    /** The client for forward-proxy destinations. */
    HttpClient forward()
    {
        return forward;
    }

    /** The client for a route with this connect timeout and transport. */
    HttpClient route(Duration connectTimeout, ProtocolConfig.RouteTransport transport)
    {
        if (connectTimeout.equals(context.config().connectTimeout()) && transport.equals(ProtocolConfig.RouteTransport.DEFAULT))
            return main;
        return clients.computeIfAbsent(new Key(connectTimeout, transport, false), this::create);
    }

    /** Stops every client made here (the servlet stops its own). */
    void stop()
    {
        List<HttpClient> all = new ArrayList<>(clients.values());
        all.add(forward);
        for (HttpClient client : all)
        {
            try
            {
                client.stop();
            }
            catch (Exception x)
            {
                LOG.debug("stopping an upstream client", x);
            }
        }
    }

    private HttpClient create(Key key)
    {
        HttpClient client = newClient(connectors.get(), context.config(), key.transport());
        client.setExecutor(main.getExecutor());
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setMaxConnectionsPerDestination(main.getMaxConnectionsPerDestination());
        client.setIdleTimeout(main.getIdleTimeout());
        client.setRequestBufferSize(main.getRequestBufferSize());
        client.setResponseBufferSize(main.getResponseBufferSize());
        client.setMaxRequestHeadersSize(main.getMaxRequestHeadersSize());
        client.setMaxResponseHeadersSize(main.getMaxResponseHeadersSize());
        client.setConnectTimeout(key.connectTimeout().toMillis());
        if (key.forward())
        {
            client.setSocketAddressResolver(new SsrfResolver(() -> new SocketAddressResolver.Async(client.getExecutor(),
                client.getScheduler(), client.getAddressResolutionTimeout()), () -> context.snapshot().policy().ssrf()));
        }
        try
        {
            client.start();
        }
        catch (Exception x)
        {
            throw new IllegalStateException("cannot create an upstream client", x);
        }
        // as the servlet's own client: bodies pass as they are, only 100-continue is intercepted
        client.getContentDecoderFactories().clear();
        client.getProtocolHandlers().clear();
        client.getProtocolHandlers().put(continueHandlers.get());
        return client;
    }

    /**
     * A client (not started) on this connector: its timeouts and TLS set, HTTP/2-first or HTTP/1.1
     * as the transport says. A proxy relays the client's User-Agent; it does not add its own.
     */
    static HttpClient newClient(ClientConnector connector, GatehouseConfig config, ProtocolConfig.RouteTransport transport)
    {
        connector.setConnectTimeout(config.connectTimeout());
        connector.setIdleTimeout(config.idleTimeout());
        if (transport.insecure())
            LOG.warn("upstream TLS certificates and host names are NOT verified for routes with tls.insecure=true");
        UpstreamTlsSettings.apply(connector.getSslContextFactory(), config.protocols().upstreamTls(), transport.insecure());
        HttpClient client;
        if (transport.protocol() == ProtocolConfig.UpstreamProtocol.HTTP_1_1)
        {
            client = new HttpClient(new HttpClientTransportDynamic(connector));
        }
        else
        {
            HTTP2Client http2 = new HTTP2Client(connector);
            client = new HttpClient(new HttpClientTransportDynamic(connector,
                new ClientConnectionFactoryOverHTTP2.HTTP2(http2), HttpClientConnectionFactory.HTTP11));
        }
        client.setUserAgentField(null);
        return client;
    }
}
