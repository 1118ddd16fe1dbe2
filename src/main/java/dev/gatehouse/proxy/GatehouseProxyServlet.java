package dev.gatehouse.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.ProtocolConfig;
import dev.gatehouse.http.ByteCounts;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.Failures;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.resilience.RetryPolicy;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.websocket.WebSocketProxy;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncMiddleManServlet;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy: forward (absolute-URI requests) and reverse (routes). Extends Jetty's
 * {@link AsyncMiddleManServlet} through its hooks; bodies stream both ways without buffering.
 * Per-request concerns (cache, compression, upstream accounting, content-type blocking, header
 * edits) are {@link ProxyParticipant}s, called in the order of the list the servlet context holds.
 */
public class GatehouseProxyServlet extends AsyncMiddleManServlet
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseProxyServlet.class);

    static final String STREAMING_ATTRIBUTE = "dev.gatehouse.streaming";
    static final String CLIENT_FAILED_ATTRIBUTE = "dev.gatehouse.clientFailed";
    /** Jetty's attribute on an upstream request naming the client's request. */
    static final String CLIENT_REQUEST = CLIENT_REQUEST_ATTRIBUTE;

    private transient GatehouseContext context;
    private transient GatehouseMetrics metrics;
    private transient Upstreams upstreams;
    private transient ProxyParticipant[] participants;
    private transient UpstreamClients clients;
    private transient WebSocketProxy websockets;

    @Override
    public void init() throws ServletException
    {
        context = GatehouseContext.from(getServletContext());
        metrics = GatehouseMetrics.from(getServletContext());
        upstreams = Upstreams.from(getServletContext());
        if (!(getServletContext().getAttribute(ProxyParticipant.ATTRIBUTE) instanceof List<?> list))
            throw new ServletException("Gatehouse is not initialised in this context: " + ProxyParticipant.ATTRIBUTE + " is missing");
        participants = list.toArray(new ProxyParticipant[0]);
        websockets = new WebSocketProxy(metrics.prometheus());
        super.init();
        clients = new UpstreamClients(context, getHttpClient(), this::newClientConnector, ContinueHandler::new);
        getServletContext().setAttribute(BackgroundRequests.ATTRIBUTE, new RefreshRequests(this, context, upstreams, metrics));
    }

    /** {@code Expect: 100-continue} on the other clients, as Jetty's handler does on the servlet's own. */
    private final class ContinueHandler extends ContinueProtocolHandler
    {
        @Override
        protected Runnable onContinue(Request request)
        {
            return GatehouseProxyServlet.this.onContinue((HttpServletRequest)request.getAttributes().get(CLIENT_REQUEST_ATTRIBUTE), request);
        }
    }

    @Override
    public void destroy()
    {
        getServletContext().removeAttribute(BackgroundRequests.ATTRIBUTE);
        if (websockets != null)
            websockets.close();
        if (clients != null)
            clients.stop();
        super.destroy();
    }

    /** The servlet's own client: routes with the global connect timeout and the default transport. */
    @Override
    protected HttpClient newHttpClient(ClientConnector clientConnector)
    {
        return UpstreamClients.newClient(clientConnector, context.config(), ProtocolConfig.RouteTransport.DEFAULT);
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

    @Override
    protected Request newProxyRequest(HttpServletRequest clientToProxyRequest, String rewrittenTarget)
    {
        return newProxyRequest(clientToProxyRequest, Exchange.of(clientToProxyRequest), rewrittenTarget, clientToProxyRequest.getMethod());
    }

    /** On the route's client (by its connect timeout and transport), or the forward client. */
    private Request newProxyRequest(HttpServletRequest clientToProxyRequest, Exchange exchange, String target, String method)
    {
        HttpClient client = exchange == null ? clients.forward() : clients.route(exchange.pool.settings().timeouts().connect(),
            snapshot(clientToProxyRequest).config().protocols().route(exchange.route.name()));
        return client.newRequest(target).method(method).attribute(CLIENT_REQUEST_ATTRIBUTE, clientToProxyRequest);
    }

    /** A request the servlet sends itself (a retry, a background refresh), through the hooks Jetty's service() calls. */
    Request prepare(HttpServletRequest clientToProxyRequest, Exchange exchange, String target, String method)
    {
        Request proxyToServerRequest = newProxyRequest(clientToProxyRequest, exchange, target, method);
        copyRequestHeaders(clientToProxyRequest, exchange, proxyToServerRequest);
        addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
        return proxyToServerRequest;
    }

    @Override
    protected ContentTransformer newClientRequestContentTransformer(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        long max = snapshot(clientToProxyRequest).policy().config().maxBodySize();
        return new BodyLimit(max, ByteCounts.of(clientToProxyRequest));
    }

    /** Counting last; each participant's transformer wraps what comes after it, so the last in the list sees the upstream's bytes first. */
    @Override
    protected ContentTransformer newServerResponseContentTransformer(HttpServletRequest clientToProxyRequest,
                                                                     HttpServletResponse proxyToClientResponse, Response serverToProxyResponse)
    {
        ContentTransformer transformer = new ResponseBodyCounter(ByteCounts.of(clientToProxyRequest));
        for (ProxyParticipant participant : participants)
        {
            ContentTransformer wrapping = participant.responseTransformer(clientToProxyRequest, proxyToClientResponse, transformer);
            if (wrapping != null)
                transformer = wrapping;
        }
        return transformer;
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
        if (ProxyFailureResponse.refusedAtOnce(clientToProxyRequest, proxyToClientResponse, context.config().proxyId()))
            return;
        if (WebSocketRoute.handle(context, upstreams, metrics, websockets, getViaHost(), clientToProxyRequest, proxyToClientResponse))
            return;
        super.service(clientToProxyRequest, proxyToClientResponse);
    }

    /** Forward or route, as {@link Dispatch} decided; see {@link Targets}. */
    @Override
    protected String rewriteTarget(HttpServletRequest clientToProxyRequest)
    {
        return Targets.rewrite(clientToProxyRequest, context, upstreams, metrics);
    }

    @Override
    protected void copyRequestHeaders(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        copyRequestHeaders(clientToProxyRequest, Exchange.of(clientToProxyRequest), proxyToServerRequest);
    }

    private void copyRequestHeaders(HttpServletRequest clientToProxyRequest, Exchange exchange, Request proxyToServerRequest)
    {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        if (exchange != null && exchange.route.config().preserveHost())
        {
            String host = clientToProxyRequest.getHeader("Host");
            if (host != null)
                proxyToServerRequest.headers(headers -> headers.put(HttpHeader.HOST, host));
        }
        for (ProxyParticipant participant : participants)
            participant.onRequestHeaders(exchange, clientToProxyRequest, proxyToServerRequest);
    }

    @Override
    protected void addProxyHeaders(HttpServletRequest clientToProxyRequest, Request proxyToServerRequest)
    {
        String viaHost = getViaHost();
        proxyToServerRequest.headers(headers -> ProxyHeaders.addAll(clientToProxyRequest, headers, viaHost));
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
        Exchange exchange = Exchange.of(clientToProxyRequest);
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
        Exchange exchange = Exchange.of(clientToProxyRequest);
        for (ProxyParticipant participant : participants)
        {
            if (participant.onResponseHeaders(exchange, clientToProxyRequest, serverToProxyResponse))
                return;
        }
        HttpFields upstreamHeaders = serverToProxyResponse.getHeaders();
        boolean streaming = !upstreamHeaders.contains(HttpHeader.CONTENT_LENGTH);
        if (streaming)
            clientToProxyRequest.setAttribute(STREAMING_ATTRIBUTE, Boolean.TRUE);
        ResponseHeaders.copy(clientToProxyRequest, proxyToClientResponse, upstreamHeaders, snapshot(clientToProxyRequest).policy());
        for (ProxyParticipant participant : participants)
            participant.onResponseHeadersCopied(exchange, clientToProxyRequest, proxyToClientResponse, serverToProxyResponse, streaming);
    }

    /**
     * A response without Content-Length (chunked, SSE) is flushed chunk by chunk, so the client
     * sees data as the upstream produces it; a response of known length lets the container
     * aggregate small writes (a small body then goes out in one write, with Content-Length).
     *
     * <p>Called on the first chunk of the body, before {@code AsyncMiddleManServlet} drops the
     * response's Content-Length (its transformers may change the body's length). Ours change it
     * only where compression applies, and compression removes the header when it does: so a
     * Content-Length still on the response here is the body's length, and the writer puts it back
     * before its first write. The client then gets the upstream's length instead of a chunked body,
     * and the last write of the body ends the response (no separate write for a last chunk).
     */
    @Override
    protected ProxyWriter newProxyWriteListener(HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        boolean streaming = clientToProxyRequest.getAttribute(STREAMING_ATTRIBUTE) != null;
        long length = streaming ? -1 : declaredLength((HttpServletResponse)clientToProxyRequest.getAsyncContext().getResponse());
        return new ClientWriter(clientToProxyRequest, serverToProxyResponse, streaming, length);
    }

    /** The response's Content-Length header as the participants left it, or -1. */
    private static long declaredLength(HttpServletResponse proxyToClientResponse)
    {
        String value = proxyToClientResponse.getHeader("Content-Length");
        if (value == null)
            return -1;
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (NumberFormatException x)
        {
            return -1;
        }
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
        /** The body's length to declare before the first write, or -1 (see {@link #newProxyWriteListener}). */
        private long length;

        ClientWriter(HttpServletRequest clientToProxyRequest, Response serverToProxyResponse, boolean streaming, long length)
        {
            super(clientToProxyRequest, serverToProxyResponse);
            this.clientToProxyRequest = clientToProxyRequest;
            this.streaming = streaming;
            this.length = length;
        }

        @Override
        protected Action process() throws Throwable
        {
            if (length >= 0)
            {
                HttpServletResponse response = (HttpServletResponse)clientToProxyRequest.getAsyncContext().getResponse();
                if (!response.isCommitted())
                    response.setContentLengthLong(length);
                length = -1;
            }
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
        Exchange exchange = Exchange.of(clientToProxyRequest);
        for (ProxyParticipant participant : participants)
        {
            if (participant.onSuccess(exchange, clientToProxyRequest, proxyToClientResponse))
                return;
        }
        super.onProxyResponseSuccess(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse);
    }

    /** Refused before going upstream; a 503 refusal (no target, breakers open) may still be answered by a participant. */
    @Override
    protected void onProxyRewriteFailed(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse)
    {
        Exchange exchange = Exchange.of(clientToProxyRequest);
        if (exchange != null)
            exchange.finish();
        ErrorCode code = (ErrorCode)clientToProxyRequest.getAttribute(Targets.ERROR_ATTRIBUTE);
        if (code != null && code.status() == 503 && failed(exchange, clientToProxyRequest, proxyToClientResponse, null, false))
            return;
        ProxyFailureResponse.sendRefusal(clientToProxyRequest, proxyToClientResponse, code,
            (String)clientToProxyRequest.getAttribute(Targets.ERROR_MESSAGE_ATTRIBUTE));
    }

    @Override
    protected void onProxyResponseFailure(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                                          Response serverToProxyResponse, Throwable failure)
    {
        Exchange exchange = Exchange.of(clientToProxyRequest);
        Object clientFailure = clientToProxyRequest.getAttribute(CLIENT_FAILED_ATTRIBUTE);
        Failures.Blame blame = Failures.blame(failure, clientFailure,
            !hasContent(clientToProxyRequest) || ByteCounts.of(clientToProxyRequest).requestDone);
        boolean upstreamCaused = blame == Failures.Blame.UPSTREAM;
        if (exchange != null)
        {
            exchange.failed(failure, upstreamCaused);
            if (upstreamCaused && !proxyToClientResponse.isCommitted() && serverToProxyResponse == null
                && retry(clientToProxyRequest, proxyToClientResponse, exchange, failure, clientFailure == null))
            {
                metrics.upstreamError(exchange.route.name(), Failures.kind(failure));
                return;
            }
        }
        if (failed(exchange, clientToProxyRequest, proxyToClientResponse, failure, upstreamCaused))
            return;
        if (proxyToClientResponse.isCommitted())
        {
            if (!ContainerAbort.abortCommitted(clientToProxyRequest, proxyToClientResponse, failure))
                super.onProxyResponseFailure(clientToProxyRequest, proxyToClientResponse, serverToProxyResponse, failure);
            return;
        }
        ProxyFailureResponse.send(clientToProxyRequest, proxyToClientResponse, failure, blame, clientFailure,
            snapshot(clientToProxyRequest).policy(), metrics);
    }

    /** The exchange is over without a response from upstream: true when a participant answered the client. */
    private boolean failed(Exchange exchange, HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse,
                           Throwable failure, boolean upstreamCaused)
    {
        for (ProxyParticipant participant : participants)
        {
            if (participant.onFailure(exchange, clientToProxyRequest, proxyToClientResponse, failure, upstreamCaused))
                return true;
        }
        return false;
    }

    /** Performs what {@link RetryPolicy} decides: the next attempt, through the same hooks, after the delay. */
    private boolean retry(HttpServletRequest request, HttpServletResponse response, Exchange exchange, Throwable failure, boolean clientThere)
    {
        String requestId = RequestIds.of(request);
        RetryPolicy.Decision retry = RetryPolicy.decide(exchange.pool, exchange.attempts(), request.getMethod(), hasContent(request),
            clientThere && Failures.isRetryable(failure), () -> exchange.nextTarget(ClientAddress.of(request, snapshot(request).policy())), requestId);
        if (retry == null)
            return false;
        LOG.debug("[{}] retrying on {} in {}ms after {}", requestId, retry.target().url(), retry.delayMillis(), failure.toString());
        Runnable resend = () ->
        {
            try
            {
                exchange.begin(retry.target());
                String target = exchange.route.target(retry.target().url(), request.getRequestURI(), request.getQueryString());
                sendProxyRequest(request, response, prepare(request, exchange, target, request.getMethod()));
            }
            catch (Throwable x)
            {
                onProxyResponseFailure(request, response, null, x);
            }
        };
        if (retry.delayMillis() <= 0)
            resend.run();
        else
            getHttpClient().getScheduler().schedule(resend, retry.delayMillis(), TimeUnit.MILLISECONDS);
        return true;
    }
}
