package dev.gatehouse.tunnel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.ErrorBody;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.Failures;
import dev.gatehouse.http.PolicyException;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.RateLimiter;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.policy.SsrfGuard;
import dev.gatehouse.policy.UsersFile;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT tunnels (embedded, or at server level in a standalone Jetty base through
 * {@link StandaloneConnectHandler}: servlet containers never pass CONNECT to a webapp).
 * Jetty's {@link ConnectHandler} does the byte pipe; this class applies the same policy as the
 * filters do for forward requests (ACL, proxy authentication, rate limit, allowed ports, domain
 * lists, SSRF guard on the resolved address) and answers refusals and failures with the JSON body.
 */
public class GatehouseConnectHandler extends ConnectHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseConnectHandler.class);
    /** Only connectors with this name accept CONNECT (the admin listener does not). */
    public static final String PROXY_CONNECTOR = "proxy";

    /** The longest DNS name (RFC 1035); a longer CONNECT host is refused before any lookup. */
    static final int MAX_HOST_LENGTH = 253;
    private final GatehouseContext context;
    private final RateLimiter rateLimiter;
    private final GatehouseMetrics metrics;
    /** The connector that accepts CONNECT, or null for every connector (a standalone Jetty base). */
    private final String connectorName;

    public GatehouseConnectHandler(Handler handler, GatehouseContext context, RateLimiter rateLimiter, GatehouseMetrics metrics)
    {
        this(handler, context, rateLimiter, metrics, PROXY_CONNECTOR);
    }

    /**
     * @param connectorName the only connector that accepts CONNECT, or null for every connector
     */
    public GatehouseConnectHandler(Handler handler, GatehouseContext context, RateLimiter rateLimiter, GatehouseMetrics metrics,
                                   String connectorName)
    {
        super(handler);
        this.context = context;
        this.rateLimiter = rateLimiter;
        this.metrics = metrics;
        this.connectorName = connectorName;
        GatehouseConfig c = context.config();
        setConnectTimeout(c.connectTimeout().toMillis());
        setIdleTimeout(c.idleTimeout().toMillis());
        // 4 KiB copies cost a syscall per 4 KiB; 64 KiB buffers keep bulk tunnels near wire speed.
        setBufferSize(64 * 1024);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception
    {
        if (!HttpMethod.CONNECT.is(request.getMethod()))
            return super.handle(request, response, callback);
        Snapshot snapshot = context.snapshot();
        GatehouseConfig c = snapshot.config();
        Policy policy = snapshot.policy();
        String requestId = RequestIds.choose(request.getHeaders().get(RequestIds.HEADER));
        String connector = request.getConnectionMetaData().getConnector().getName();
        if (!c.connectEnabled() || (connectorName != null && !connectorName.equals(connector)))
        {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            return error(request, response, callback, requestId, ErrorCode.METHOD_NOT_ALLOWED, "CONNECT is not enabled on this listener");
        }
        String client = ClientAddress.resolve(peer(request), Collections.enumeration(request.getHeaders().getValuesList("X-Forwarded-For")),
            policy.trustedProxies());
        if (policy.aclDeny().contains(client) || !policy.aclAllow().contains(client))
            return refuse(request, response, callback, requestId, client, ErrorCode.ACL_DENIED, "Your address may not use this proxy", "acl", client);
        UsersFile users = policy.users();
        if (users != null)
        {
            String credentials = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
            if (credentials == null || users.authenticate(credentials).isEmpty())
            {
                response.getHeaders().put(HttpHeader.PROXY_AUTHENTICATE, UsersFile.challenge(c.policy().authRealm()));
                return refuse(request, response, callback, requestId, client, ErrorCode.PROXY_AUTH_REQUIRED,
                    "Proxy authentication required", credentials == null ? "auth-missing" : "auth-failed", "-");
            }
        }
        RateLimiter.Limit limit = policy.limit(null);
        if (limit != null)
        {
            RateLimiter.Decision d = rateLimiter.tryAcquire(client, limit);
            response.getHeaders().put("RateLimit-Limit", Long.toString(d.limit()));
            response.getHeaders().put("RateLimit-Remaining", Long.toString(d.remaining()));
            response.getHeaders().put("RateLimit-Reset", Long.toString(d.resetSeconds()));
            if (!d.allowed())
            {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(d.retryAfterSeconds()));
                return refuse(request, response, callback, requestId, client, ErrorCode.RATE_LIMITED,
                    "Too many requests; retry after " + d.retryAfterSeconds() + "s", "rate-limit", client);
            }
        }
        HostPort hostPort;
        try
        {
            hostPort = new HostPort(request.getHttpURI().getAuthority());
        }
        catch (IllegalArgumentException x)
        {
            return error(request, response, callback, requestId, ErrorCode.BAD_REQUEST, "CONNECT needs host:port");
        }
        if (!hostPort.hasHost() || !hostPort.hasPort())
            return error(request, response, callback, requestId, ErrorCode.BAD_REQUEST, "CONNECT needs host:port");
        if (hostPort.getHost().length() > MAX_HOST_LENGTH)
            return error(request, response, callback, requestId, ErrorCode.BAD_REQUEST,
                "CONNECT host is longer than " + MAX_HOST_LENGTH + " characters");
        if (!c.connectAllowedPorts().contains(hostPort.getPort()))
            return refuse(request, response, callback, requestId, client, ErrorCode.DESTINATION_FORBIDDEN,
                "CONNECT to port " + hostPort.getPort() + " is not allowed", "connect-port", Integer.toString(hostPort.getPort()));
        String host = SsrfGuard.normalizeIntegerHost(hostPort.getHost());
        if (!policy.destinations().permits(host))
            return refuse(request, response, callback, requestId, client, ErrorCode.DOMAIN_BLOCKED, c.policy().filterMessage(), "domain", host);
        request.setAttribute(RequestIds.ATTRIBUTE, requestId);
        request.setAttribute(CLIENT_ATTRIBUTE, client);
        request.setAttribute(START, System.nanoTime());
        return super.handle(request, response, callback);
    }

    static final String CLIENT_ATTRIBUTE = "dev.gatehouse.clientAddress";
    private static final String DOWNSTREAM = "dev.gatehouse.tunnel.downstream";
    private static final String FROM_CLIENT = "dev.gatehouse.tunnel.fromClient";
    private static final String TO_CLIENT = "dev.gatehouse.tunnel.toClient";
    private static final String START = "dev.gatehouse.tunnel.start";

    @Override
    protected void prepareContext(Request request, ConcurrentMap<String, Object> context)
    {
        context.put(DOWNSTREAM, request.getTunnelSupport().getEndPoint());
        context.put(FROM_CLIENT, new LongAdder());
        context.put(TO_CLIENT, new LongAdder());
        Object start = request.getAttribute(START);
        context.put(START, start instanceof Long l ? l : System.nanoTime());
        metrics.tunnelOpened();
    }

    /** Counts tunnel bytes by direction: what is read from the client goes upstream, and back. */
    @Override
    protected int read(EndPoint endPoint, ByteBuffer buffer, ConcurrentMap<String, Object> context) throws IOException
    {
        int n = super.read(endPoint, buffer, context);
        if (n > 0)
        {
            Object counter = context.get(endPoint == context.get(DOWNSTREAM) ? FROM_CLIENT : TO_CLIENT);
            if (counter instanceof LongAdder adder)
                adder.add(n);
        }
        return n;
    }

    @Override
    protected DownstreamConnection newDownstreamConnection(EndPoint endPoint, ConcurrentMap<String, Object> context)
    {
        return new DownstreamConnection(endPoint, getExecutor(), getByteBufferPool(), context)
        {
            @Override
            public void onClose(Throwable cause)
            {
                super.onClose(cause);
                long fromClient = sum(context.get(FROM_CLIENT));
                long toClient = sum(context.get(TO_CLIENT));
                metrics.tunnelClosed(fromClient, toClient);
                long start = context.get(START) instanceof Long l ? l : System.nanoTime();
                metrics.request("CONNECT", 200, "connect", System.nanoTime() - start, fromClient, toClient);
            }
        };
    }

    private static long sum(Object counter)
    {
        return counter instanceof LongAdder adder ? adder.sum() : 0;
    }

    private static String peer(Request request)
    {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null)
            return inet.getAddress().getHostAddress();
        return String.valueOf(remote);
    }

    /**
     * Resolves once, keeps only addresses the SSRF guard permits, and connects to that address:
     * the check and the connection use the same resolution (no DNS rebinding window).
     */
    @Override
    protected InetSocketAddress newConnectAddress(String host, int port)
    {
        SsrfGuard guard = context.snapshot().policy().ssrf();
        String normalized = SsrfGuard.normalizeIntegerHost(host);
        List<InetAddress> resolved;
        try
        {
            resolved = Arrays.asList(InetAddress.getAllByName(normalized));
        }
        catch (UnknownHostException x)
        {
            throw new UncheckedIOException(x);
        }
        List<InetAddress> permitted = guard.permitted(host, resolved);
        if (permitted.isEmpty())
            throw new UncheckedIOException(new PolicyException(ErrorCode.DESTINATION_FORBIDDEN,
                "The destination address is not reachable through this proxy"));
        return new InetSocketAddress(permitted.get(0), port);
    }

    @Override
    protected void onConnectFailure(Request request, Response response, Callback callback, Throwable failure)
    {
        ErrorCode code = Failures.classify(failure);
        String requestId = request.getAttribute(RequestIds.ATTRIBUTE) instanceof String id ? id : RequestIds.generate();
        String authority = request.getHttpURI().getAuthority();
        PolicyException refused = Failures.policy(failure);
        if (refused != null)
        {
            SecurityLog.event("ssrf", String.valueOf(request.getAttribute(CLIENT_ATTRIBUTE)), requestId, authority);
            metrics.rejection("ssrf");
            error(request, response, callback, requestId, code, refused.getMessage(), "ssrf");
            return;
        }
        LOG.info("[{}] CONNECT {} failed: {} {}", requestId, SecurityLog.escape(authority), code, failure.toString());
        error(request, response, callback, requestId, code, Failures.message(code, "tunnel destination"));
    }

    private boolean refuse(Request request, Response response, Callback callback, String requestId, String client, ErrorCode code,
                           String message, String reason, String value)
    {
        SecurityLog.event(reason, client, requestId, value);
        metrics.rejection(reason);
        return error(request, response, callback, requestId, code, message, reason);
    }

    private boolean error(Request request, Response response, Callback callback, String requestId, ErrorCode code, String message)
    {
        return error(request, response, callback, requestId, code, message, null);
    }

    private boolean error(Request request, Response response, Callback callback, String requestId, ErrorCode code, String message,
                          String reason)
    {
        metrics.request("CONNECT", code.status(), "connect", 0, 0, 0);
        byte[] body = ErrorBody.bytes(code, message, requestId, reason);
        response.setStatus(code.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorBody.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.getHeaders().put(RequestIds.PROXY_ID_HEADER, context.config().proxyId());
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
