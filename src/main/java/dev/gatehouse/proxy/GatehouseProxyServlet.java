package dev.gatehouse.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.cache.CacheExchange;
import dev.gatehouse.cache.Refresher;
import dev.gatehouse.cache.ResponseCache;
import dev.gatehouse.compress.CodingETags;
import dev.gatehouse.compress.ResponseCompression;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.http.ByteCounts;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Failures;
import dev.gatehouse.http.HopByHop;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.PolicyException;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.policy.SsrfResolver;
import dev.gatehouse.resilience.Backoff;
import dev.gatehouse.resilience.Target;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.routing.HeaderEdits;
import dev.gatehouse.routing.Route;
import dev.gatehouse.routing.Router;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy: forward (absolute-URI requests) and reverse (routes). Extends Jetty's
 * {@link AsyncMiddleManServlet} through its hooks; bodies stream both ways without buffering.
 */
public class GatehouseProxyServlet extends AsyncMiddleManServlet
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseProxyServlet.class);

    static final String ROUTE_ATTRIBUTE = "dev.gatehouse.route";
    static final String ERROR_ATTRIBUTE = "dev.gatehouse.error";
    static final String ERROR_MESSAGE_ATTRIBUTE = "dev.gatehouse.errorMessage";
    static final String STREAMING_ATTRIBUTE = "dev.gatehouse.streaming";
    static final String CLIENT_FAILED_ATTRIBUTE = "dev.gatehouse.clientFailed";

    private transient GatehouseContext context;
    transient GatehouseMetrics metrics;
    transient Upstreams upstreams;
    private transient ResponseCompression compression;
    private transient HttpClient forwardClient;
    private transient dev.gatehouse.websocket.WebSocketProxy websockets;
    private transient boolean buildingForwardClient;
    private transient ProtocolConfig.RouteTransport building = ProtocolConfig.RouteTransport.DEFAULT;
    private final transient Map<ClientKey, HttpClient> routeClients = new ConcurrentHashMap<>();

    /** Route clients differ by connect timeout and by upstream protocol / TLS verification. */
    private record ClientKey(Duration connectTimeout, ProtocolConfig.RouteTransport transport)
    {
    }

    @Override
    protected HttpClient newHttpClient(ClientConnector clientConnector)
    {
        GatehouseConfig config = context.config();
        clientConnector.setConnectTimeout(config.connectTimeout());
        clientConnector.setIdleTimeout(config.idleTimeout());
        HttpClient http2 = UpstreamClients.prepare(clientConnector, config.protocols(), building);
        HttpClient client = http2 != null ? http2 : super.newHttpClient(clientConnector);
        // A proxy relays the client's User-Agent; it does not add its own.
        client.setUserAgentField(null);
        if (buildingForwardClient)
        {
            client.setSocketAddressResolver(new SsrfResolver(() -> new SocketAddressResolver.Async(client.getExecutor(),
                client.getScheduler(), client.getAddressResolutionTimeout()), () -> context.snapshot().policy().ssrf()));
        }
        return client;
    }

    @Override
    protected HttpClient createHttpClient() throws ServletException
    {
        HttpClient client = super.createHttpClient();
        GatehouseConfig config = context.config();
        client.setMaxConnectionsPerDestination(config.upstreamMaxConnections());
        client.setIdleTimeout(config.idleTimeout().toMillis());
        client.setConnectTimeout(config.connectTimeout().toMillis());
        // The transport stays BLOCKING (Jetty's default): each upstream response is handed from the
        // client's selector to a pool thread. NON_BLOCKING (the selector runs the listeners itself)
        // was measured: 3-5% more requests/s at 64 B, but p99 1.5x at 64 B and 2.5x at 64 KiB,
        // because responses of different connections then queue behind each other on one thread.
        return client;
    }

    /**
     * Two clients: routes go to operator-written targets (trusted, may be private); forward-proxy
     * destinations are chosen by clients, so their client resolves through the SSRF guard.
     */
    @Override
    public void init() throws ServletException
    {
        ServletContext servletContext = getServletContext();
        context = GatehouseContext.from(servletContext);
        metrics = GatehouseMetrics.from(servletContext);
        upstreams = Upstreams.from(servletContext);
        compression = ResponseCompression.from(servletContext);
        websockets = new dev.gatehouse.websocket.WebSocketProxy(metrics.prometheus());
        if (context.config().protocols().compression().enabled())
            dev.gatehouse.compress.Brotli.available(); // loads the native library now; logs once if it cannot
        super.init();
        buildingForwardClient = true;
        try
        {
            forwardClient = createHttpClient();
        }
        finally
        {
            buildingForwardClient = false;
        }
        servletContext.setAttribute(Refresher.ATTRIBUTE, new CacheRefresh(this, context, ResponseCache.from(servletContext)));
    }

    @Override
    public void destroy()
    {
        if (websockets != null)
            websockets.close();
        List<HttpClient> clients = new ArrayList<>(routeClients.values());
        if (forwardClient != null)
            clients.add(forwardClient);
        for (HttpClient client : clients)
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
        super.destroy();
    }

    @Override
    protected Request newProxyRequest(HttpServletRequest clientToProxyRequest, String rewrittenTarget)
    {
        Exchange exchange = (Exchange)clientToProxyRequest.getAttribute(Exchange.ATTRIBUTE);
        if (exchange != null)
        {
            ProtocolConfig.RouteTransport transport = snapshot(clientToProxyRequest).config().protocols().route(exchange.pool.route().name());
            return routeClient(exchange.pool.settings().timeouts().connect(), transport).newRequest(rewrittenTarget)
                .method(clientToProxyRequest.getMethod())
                .attribute(CLIENT_REQUEST_ATTRIBUTE, clientToProxyRequest);
        }
        return forwardClient.newRequest(rewrittenTarget)
            .method(clientToProxyRequest.getMethod())
            .attribute(CLIENT_REQUEST_ATTRIBUTE, clientToProxyRequest);
    }

    /** A GET for a background cache refresh, on the client the request would use. */
    Request refreshRequest(HttpServletRequest clientToProxyRequest, Exchange exchange, String url)
    {
        HttpClient client = exchange != null ? routeClient(exchange.pool.settings().timeouts().connect(),
            snapshot(clientToProxyRequest).config().protocols().route(exchange.pool.route().name())) : forwardClient;
        Request proxyToServerRequest = client.newRequest(url).method("GET").attribute(CLIENT_REQUEST_ATTRIBUTE, clientToProxyRequest);
        copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        // the client's request is recycled once it is answered from cache: keep no reference to it
        proxyToServerRequest.getAttributes().remove(CLIENT_REQUEST_ATTRIBUTE);
        return proxyToServerRequest;
    }

    /**
     * The client for routes with this connect timeout and transport: the main one, or one per
     * distinct combination (another timeout, HTTP/2, no TLS verification).
     */
    private HttpClient routeClient(Duration connectTimeout, ProtocolConfig.RouteTransport transport)
    {
        if (connectTimeout.equals(context.config().connectTimeout()) && transport.equals(ProtocolConfig.RouteTransport.DEFAULT))
            return getHttpClient();
        return routeClients.computeIfAbsent(new ClientKey(connectTimeout, transport), key ->
        {
            synchronized (this)
            {
                building = key.transport();
                try
                {
                    HttpClient client = createHttpClient();
                    client.setConnectTimeout(key.connectTimeout().toMillis());
                    return client;
                }
                catch (ServletException x)
                {
                    throw new IllegalStateException("cannot create an upstream client", x);
                }
                finally
                {
                    building = ProtocolConfig.RouteTransport.DEFAULT;
                }
            }
        });
    }

    @Override
    protected ContentTransformer newClientRequestContentTransformer(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        long max = snapshot(clientToProxyRequest).policy().config().maxBodySize();
        return new BodyLimit(max, ByteCounts.of(clientToProxyRequest));
    }

    @Override
    protected ContentTransformer newServerResponseContentTransformer(HttpServletRequest clientToProxyRequest,
                                                                     HttpServletResponse proxyToClientResponse, Response serverToProxyResponse)
    {
        // the cache copies the upstream's bytes first; compression and counting come after it
        return CacheExchange.transformer(clientToProxyRequest, compression.transformer(clientToProxyRequest, proxyToClientResponse,
            new ResponseBodyCounter(ByteCounts.of(clientToProxyRequest)), snapshot(clientToProxyRequest).config().protocols().compression()));
    }

    /** The snapshot this request uses, as the filters pinned it. */
    private Snapshot snapshot(HttpServletRequest request)
    {
        return Snapshot.of(request, context);
    }

    @Override
    public String getViaHost()
    {
        return context.config().proxyId();
    }

    /** No total timeout: a long download or stream is not cut at a fixed age; see {@link #sendProxyRequest}. */
    @Override
    public long getTimeout()
    {
        return 0;
    }

    @Override
    protected void service(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
        throws ServletException, IOException
    {
        String method = clientToProxyRequest.getMethod();
        if ("TRACE".equals(method) || "CONNECT".equals(method))
        {
            String message = "TRACE".equals(method) ? "TRACE is not allowed through this proxy"
                : "CONNECT tunnels are not available on this listener";
            OwnHeaders.set(clientToProxyRequest, proxyToClientResponse, "Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, ErrorCode.METHOD_NOT_ALLOWED, message);
            return;
        }
        if (ProxyHeaders.viaNames(clientToProxyRequest.getHeaders("Via"), context.config().proxyId()))
        {
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, ErrorCode.LOOP_DETECTED,
                "The request has already passed through this proxy");
            return;
        }
        if (WebSocketRoute.handle(context, upstreams, metrics, websockets, getViaHost(), clientToProxyRequest, proxyToClientResponse))
            return;
        super.service(clientToProxyRequest, proxyToClientResponse);
    }

    /** Forward or route, as {@link Dispatch} decided; the target keeps the raw path and query. */
    @Override
    protected String rewriteTarget(HttpServletRequest clientToProxyRequest)
    {
        Snapshot snapshot = snapshot(clientToProxyRequest);
        Dispatch dispatch = Dispatch.of(clientToProxyRequest, snapshot);
        String rawPath = clientToProxyRequest.getRequestURI();
        return switch (dispatch.kind())
        {
            case FORWARD -> forward(clientToProxyRequest, snapshot.router(), rawPath);
            case ROUTE -> routeTarget(clientToProxyRequest, snapshot, dispatch.route(), rawPath);
            case NONE -> fail(clientToProxyRequest, ErrorCode.NO_ROUTE, "No route matches this request");
            case UNSUPPORTED_SCHEME -> fail(clientToProxyRequest, ErrorCode.BAD_REQUEST, "Only http and https URIs can be forwarded");
        };
    }

    /**
     * Picks the target from the route's pool: only healthy targets whose breaker lets the call
     * through, after the route's bulkhead admits the request. None available: 503
     * CIRCUIT_OPEN (every breaker open, with Retry-After), or NO_HEALTHY_UPSTREAM.
     */
    private String routeTarget(HttpServletRequest clientToProxyRequest, Snapshot snapshot, Route route, String rawPath)
    {
        clientToProxyRequest.setAttribute(ROUTE_ATTRIBUTE, route);
        UpstreamPool pool = upstreams.pool(route.name());
        if (pool == null)
            return fail(clientToProxyRequest, ErrorCode.NO_HEALTHY_UPSTREAM, "Route '" + route.name() + "' has no upstream pool");
        Exchange exchange = new Exchange(pool, metrics);
        clientToProxyRequest.setAttribute(Exchange.ATTRIBUTE, exchange);
        ErrorCode refusal = exchange.admit(ClientAddress.of(clientToProxyRequest, snapshot.policy()));
        if (refusal == ErrorCode.CIRCUIT_OPEN)
            OwnHeaders.record(clientToProxyRequest, "Retry-After", Long.toString(pool.retryAfterSeconds()));
        if (refusal != null)
            return fail(clientToProxyRequest, refusal, Exchange.message(refusal, route.name()));
        return route.target(exchange.target().url(), rawPath, clientToProxyRequest.getQueryString());
    }

    private String forward(HttpServletRequest clientToProxyRequest, Router router, String rawPath)
    {
        if (!router.config().forwardEnabled())
            return fail(clientToProxyRequest, ErrorCode.NO_ROUTE, "Forward proxying is disabled on this proxy");
        return forwardTarget(clientToProxyRequest, rawPath);
    }

    /** The absolute URI of a forward-proxy request, scheme kept: an https URI goes upstream over TLS. */
    protected String forwardTarget(HttpServletRequest clientToProxyRequest, String rawPath)
    {
        String scheme = clientToProxyRequest.getScheme();
        String host = clientToProxyRequest.getServerName();
        int port = clientToProxyRequest.getServerPort();
        String query = clientToProxyRequest.getQueryString();
        StringBuilder target = new StringBuilder(64);
        target.append(scheme).append("://");
        if (host.indexOf(':') >= 0 && !host.startsWith("["))
            target.append('[').append(host).append(']');
        else
            target.append(host);
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        if (!defaultPort && port > 0)
            target.append(':').append(port);
        target.append(rawPath);
        if (query != null)
            target.append('?').append(query);
        return target.toString();
    }

    private static String fail(HttpServletRequest request, ErrorCode code, String message)
    {
        request.setAttribute(ERROR_ATTRIBUTE, code);
        request.setAttribute(ERROR_MESSAGE_ATTRIBUTE, message);
        return null;
    }

    private void sendRewriteError(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        ErrorCode code = (ErrorCode)clientToProxyRequest.getAttribute(ERROR_ATTRIBUTE);
        String message = (String)clientToProxyRequest.getAttribute(ERROR_MESSAGE_ATTRIBUTE);
        try
        {
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse,
                code == null ? ErrorCode.FORBIDDEN : code, message == null ? "Destination not allowed" : message);
        }
        catch (IOException x)
        {
            LOG.debug("[{}] could not send error to client", RequestIds.of(clientToProxyRequest), x);
        }
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        Route route = (Route)clientToProxyRequest.getAttribute(ROUTE_ATTRIBUTE);
        String host = clientToProxyRequest.getHeader("Host");
        if (route != null && route.config().preserveHost() && host != null)
            proxyToServerRequest.headers(headers -> headers.put(HttpHeader.HOST, host));
        if (route != null)
            HeaderEdits.applyToRequest(route.config().policy(), proxyToServerRequest);
        if (Snapshot.of(clientToProxyRequest, context).config().protocols().compression().enabled())
            proxyToServerRequest.headers(CodingETags::forUpstream);
        CacheExchange.addValidators(clientToProxyRequest, proxyToServerRequest);
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        ProxyHeaders.add(clientToProxyRequest, proxyToServerRequest);
    }

    /**
     * Timeouts of the exchange: {@code timeouts.idle} bounds upstream silence (before the response,
     * how long it may take to start answering: 504; during a body, the longest gap between chunks);
     * {@code timeouts.request}, when set, bounds the whole exchange. Per route where the route sets
     * them. Jetty's connection tracks both, so nothing is scheduled per request.
     */
    @Override
    protected void sendProxyRequest(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                    Request proxyToServerRequest)
    {
        Exchange exchange = (Exchange)clientToProxyRequest.getAttribute(Exchange.ATTRIBUTE);
        GatehouseConfig config = context.config();
        Duration idle = exchange != null ? exchange.pool.settings().timeouts().idle() : config.idleTimeout();
        Duration total = exchange != null ? exchange.pool.settings().timeouts().request() : config.requestTimeout();
        proxyToServerRequest.idleTimeout(idle.toMillis(), TimeUnit.MILLISECONDS);
        if (!total.isZero())
            proxyToServerRequest.timeout(total.toMillis(), TimeUnit.MILLISECONDS);
        super.sendProxyRequest(clientToProxyRequest, proxyToClientResponse, proxyToServerRequest);
    }

    @Override
    protected void onServerResponseHeaders(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                           Response serverToProxyResponse)
    {
        Exchange exchange = (Exchange)clientToProxyRequest.getAttribute(Exchange.ATTRIBUTE);
        if (exchange != null)
            exchange.answered(serverToProxyResponse.getStatus());
        if (CacheExchange.onResponseHeaders(clientToProxyRequest, serverToProxyResponse))
            return;
        Policy policy = snapshot(clientToProxyRequest).policy();
        String contentType = serverToProxyResponse.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (policy.blockedContentTypes().blocks(contentType))
        {
            SecurityLog.event("content-type", ClientAddress.of(clientToProxyRequest, policy), RequestIds.of(clientToProxyRequest), contentType);
            metrics.rejection("content-type");
            serverToProxyResponse.abort(new PolicyException(ErrorCode.CONTENT_TYPE_BLOCKED, "The response content type is blocked by policy"));
            return;
        }
        HttpFields upstreamHeaders = serverToProxyResponse.getHeaders();
        boolean streaming = !upstreamHeaders.contains(HttpHeader.CONTENT_LENGTH);
        if (streaming)
            clientToProxyRequest.setAttribute(STREAMING_ATTRIBUTE, Boolean.TRUE);
        copyResponseHeaders(clientToProxyRequest, proxyToClientResponse, upstreamHeaders, policy);
        Route route = (Route)clientToProxyRequest.getAttribute(ROUTE_ATTRIBUTE);
        if (route != null)
            HeaderEdits.applyToResponse(route.config().policy(), proxyToClientResponse);
        compression.onHeaders(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse,
            snapshot(clientToProxyRequest).config().protocols().compression(), streaming);
        CacheExchange.afterHeaders(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse);
    }

    /**
     * The upstream's response headers onto the client's response, in one pass (this replaces
     * {@code AbstractProxyServlet.onServerResponseHeaders}, which re-parses every value as a list
     * and would look the request's state up again for each header). Dropped: hop-by-hop headers
     * and those the upstream's Connection header names, the upstream's request id and proxy id
     * (the proxy sets its own), {@code headers.remove}. Security headers the proxy set before the
     * upstream answered are replaced by the upstream's own value unless {@code headers.override}.
     * Values are copied as received; the first field of a name replaces any value the proxy set
     * earlier, further fields of the same name are added.
     */
    private static void copyResponseHeaders(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                            HttpFields upstreamHeaders, Policy policy)
    {
        Set<String> listed = HopByHop.connectionListed(upstreamHeaders);
        Set<String> removed = policy.removedResponseHeaders();
        boolean upstreamSecurityHeadersWin = !policy.config().headersOverride();
        HttpServletResponse clientResponse = null;
        int count = upstreamHeaders.size();
        String[] copied = new String[count];
        int copiedCount = 0;
        for (int i = 0; i < count; i++)
        {
            HttpField field = upstreamHeaders.getField(i);
            if (HopByHop.is(field))
                continue;
            String headerName = field.getName();
            if (headerName.equalsIgnoreCase(RequestIds.HEADER) || headerName.equalsIgnoreCase(RequestIds.PROXY_ID_HEADER))
                continue;
            if (listed != null && listed.contains(headerName.toLowerCase(java.util.Locale.ROOT)))
                continue;
            if (!removed.isEmpty() && removed.contains(headerName))
                continue;
            String value = field.getValue();
            if (Policy.isSecurityHeader(headerName))
            {
                if (upstreamSecurityHeadersWin)
                {
                    if (clientResponse == null)
                        clientResponse = (HttpServletResponse)clientToProxyRequest.getAsyncContext().getResponse();
                    clientResponse.setHeader(headerName, value);
                }
                continue;
            }
            boolean seen = false;
            for (int j = 0; j < copiedCount && !seen; j++)
                seen = copied[j].equalsIgnoreCase(headerName);
            if (seen)
            {
                proxyToClientResponse.addHeader(headerName, value);
            }
            else
            {
                copied[copiedCount++] = headerName;
                proxyToClientResponse.setHeader(headerName, value);
            }
        }
    }

    /**
     * A response without Content-Length (chunked, SSE) is flushed chunk by chunk, so the client
     * sees data as the upstream produces it; a response of known length lets the container
     * aggregate small writes (a small body then goes out in one write, with Content-Length).
     */
    @Override
    protected ProxyWriter newProxyWriteListener(HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        return new ClientWriter(clientToProxyRequest, serverToProxyResponse, clientToProxyRequest.getAttribute(STREAMING_ATTRIBUTE) != null);
    }

    @Override
    protected void writeProxyResponseContent(ServletOutputStream output, ByteBuffer content) throws IOException
    {
        super.writeProxyResponseContent(output, content);
        if (FLUSH_EACH_WRITE.get() != null && output.isReady())
            output.flush();
    }

    /** Marks the writes made while a streaming writer runs; see {@link #writeProxyResponseContent}. */
    private static final ThreadLocal<Boolean> FLUSH_EACH_WRITE = new ThreadLocal<>();

    /**
     * Writes the response to the client; a streaming one flushes each write. A failure writing to
     * the client is the client's (it went away or stopped reading): it is recorded as such before
     * the exchange fails, so it never counts against the upstream.
     */
    private class ClientWriter extends ProxyWriter
    {
        private final HttpServletRequest clientToProxyRequest;
        private final boolean streaming;

        ClientWriter(HttpServletRequest clientToProxyRequest, Response serverToProxyResponse, boolean streaming)
        {
            super(clientToProxyRequest, serverToProxyResponse);
            this.clientToProxyRequest = clientToProxyRequest;
            this.streaming = streaming;
        }

        @Override
        protected Action process() throws Throwable
        {
            if (!streaming)
                return super.process();
            FLUSH_EACH_WRITE.set(Boolean.TRUE);
            try
            {
                return super.process();
            }
            finally
            {
                FLUSH_EACH_WRITE.remove();
            }
        }

        @Override
        protected void onCompleteFailure(Throwable failure)
        {
            clientFailed(failure);
            super.onCompleteFailure(failure);
        }

        @Override
        public void onError(Throwable failure)
        {
            clientFailed(failure);
            super.onError(failure);
        }

        private void clientFailed(Throwable failure)
        {
            if (clientToProxyRequest.getAttribute(CLIENT_FAILED_ATTRIBUTE) == null)
                clientToProxyRequest.setAttribute(CLIENT_FAILED_ATTRIBUTE, failure);
        }
    }

    @Override
    protected void onClientRequestFailure(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest,
                                          HttpServletResponse proxyToClientResponse, Throwable failure)
    {
        clientToProxyRequest.setAttribute(CLIENT_FAILED_ATTRIBUTE, failure);
        LOG.debug("[{}] client request failed", RequestIds.of(clientToProxyRequest), failure);
        super.onClientRequestFailure(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, failure);
    }

    @Override
    protected void onProxyResponseSuccess(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                          Response serverToProxyResponse)
    {
        Exchange exchange = (Exchange)clientToProxyRequest.getAttribute(Exchange.ATTRIBUTE);
        if (exchange != null)
            exchange.finish();
        if (CacheExchange.onSuccess(clientToProxyRequest))
            return;
        compression.onSuccess(clientToProxyRequest, proxyToClientResponse);
        super.onProxyResponseSuccess(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse);
    }

    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        Exchange exchange = (Exchange)clientToProxyRequest.getAttribute(Exchange.ATTRIBUTE);
        if (exchange != null)
            exchange.finish();
        ErrorCode code = (ErrorCode)clientToProxyRequest.getAttribute(ERROR_ATTRIBUTE);
        if (code != null && code.status() == 503 && CacheExchange.serveStaleOnFailure(clientToProxyRequest, proxyToClientResponse))
            return;
        sendRewriteError(clientToProxyRequest, proxyToClientResponse);
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                          Response serverToProxyResponse, Throwable failure)
    {
        Exchange exchange = (Exchange)clientToProxyRequest.getAttribute(Exchange.ATTRIBUTE);
        Object clientFailure = clientToProxyRequest.getAttribute(CLIENT_FAILED_ATTRIBUTE);
        Failures.Blame blame = Failures.blame(failure, clientFailure,
            !hasContent(clientToProxyRequest) || ByteCounts.of(clientToProxyRequest).requestDone);
        boolean upstreamCaused = blame == Failures.Blame.UPSTREAM;
        if (exchange != null)
        {
            exchange.failed(failure, upstreamCaused);
            if (upstreamCaused && !proxyToClientResponse.isCommitted() && serverToProxyResponse == null
                && retry(clientToProxyRequest, proxyToClientResponse, exchange, failure))
            {
                metrics.upstreamError(exchange.pool.route().name(), Failures.kind(failure));
                return;
            }
            exchange.finish();
        }
        if (upstreamCaused)
        {
            String kind = Failures.kind(failure);
            clientToProxyRequest.setAttribute(Failures.UPSTREAM_ERROR_ATTRIBUTE, kind);
            metrics.upstreamError(exchange != null ? exchange.pool.route().name() : "forward", kind);
        }
        String requestId = RequestIds.of(clientToProxyRequest);
        if (proxyToClientResponse.isCommitted())
        {
            // The client already has part of a response: closing the connection is the only
            // honest signal; a terminated chunked body would look complete.
            LOG.debug("[{}] upstream failed after the response was committed; aborting the client connection", requestId, failure);
            dev.gatehouse.observe.AccessLog.recordNow(clientToProxyRequest);
            if (ContainerAbort.abort(proxyToClientResponse))
            {
                if (clientToProxyRequest.isAsyncStarted())
                    clientToProxyRequest.getAsyncContext().complete();
                return;
            }
            super.onProxyResponseFailure(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse, failure);
            return;
        }
        if (CacheExchange.serveStaleOnFailure(clientToProxyRequest, proxyToClientResponse))
            return;
        ProxyFailureResponse.send(clientToProxyRequest, proxyToClientResponse, failure, blame, clientFailure,
            snapshot(clientToProxyRequest).policy(), metrics);
    }

    /**
     * Retries a request that failed before the upstream could act on it (refused, reset before any
     * response) on a different target: only requests without a body, only idempotent methods
     * unless the route opts in, within {@code retry.max-attempts} and the route's retry budget,
     * after an exponential backoff with jitter. Returns false when it does not retry.
     */
    private boolean retry(HttpServletRequest request, HttpServletResponse response, Exchange exchange, Throwable failure)
    {
        var settings = exchange.pool.settings();
        if (exchange.attempts() >= settings.retry().maxAttempts() || hasContent(request) || !Failures.isRetryable(failure)
            || request.getAttribute(CLIENT_FAILED_ATTRIBUTE) != null)
            return false;
        if (!IDEMPOTENT.contains(request.getMethod()) && !settings.retry().nonIdempotent())
            return false;
        if (!exchange.pool.retryBudget().tryAcquireRetry())
        {
            LOG.info("[{}] route '{}': retry budget exhausted, not retrying", RequestIds.of(request), exchange.pool.route().name());
            return false;
        }
        Target next = exchange.nextTarget(ClientAddress.of(request, snapshot(request).policy()));
        if (next == null)
            return false;
        long delay = Backoff.delayMillis(exchange.attempts(), settings.retry().backoff().toMillis(), Math.max(1, settings.retry().backoff().toMillis() * 8));
        LOG.debug("[{}] retrying on {} in {}ms after {}", RequestIds.of(request), next.url(), delay, failure.toString());
        Runnable resend = () ->
        {
            try
            {
                exchange.begin(next);
                Route route = (Route)request.getAttribute(ROUTE_ATTRIBUTE);
                Request proxyRequest = newProxyRequest(request, route.target(next.url(), request.getRequestURI(), request.getQueryString()));
                copyRequestHeaders(request, proxyRequest);
                addProxyHeaders(request, proxyRequest);
                sendProxyRequest(request, response, proxyRequest);
            }
            catch (Throwable x)
            {
                onProxyResponseFailure(request, response, null, x);
            }
        };
        if (delay <= 0)
            resend.run();
        else
            getHttpClient().getScheduler().schedule(resend, delay, TimeUnit.MILLISECONDS);
        return true;
    }

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");
}
