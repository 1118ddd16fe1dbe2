package dev.gatehouse.tunnel;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Failures;
import dev.gatehouse.http.RequestIds;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT tunnels (embedded mode only: servlet containers never pass CONNECT to a webapp).
 * Jetty's {@link ConnectHandler} does the byte pipe; this class adds the policy (enabled, allowed
 * ports, which listener) and answers refusals and failures with the JSON error body.
 */
public class GatehouseConnectHandler extends ConnectHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseConnectHandler.class);
    /** Only connectors with this name accept CONNECT (the admin listener does not). */
    public static final String PROXY_CONNECTOR = "proxy";

    private final Supplier<GatehouseConfig> config;

    public GatehouseConnectHandler(Handler handler, Supplier<GatehouseConfig> config)
    {
        super(handler);
        this.config = config;
        GatehouseConfig c = config.get();
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
        GatehouseConfig c = config.get();
        String connector = request.getConnectionMetaData().getConnector().getName();
        if (!c.connectEnabled() || !PROXY_CONNECTOR.equals(connector))
        {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            return error(request, response, callback, ErrorCode.METHOD_NOT_ALLOWED, "CONNECT is not enabled on this listener");
        }
        String authority = request.getHttpURI().getAuthority();
        HostPort hostPort;
        try
        {
            hostPort = new HostPort(authority);
        }
        catch (IllegalArgumentException x)
        {
            return error(request, response, callback, ErrorCode.BAD_REQUEST, "CONNECT needs host:port");
        }
        if (!hostPort.hasHost() || !hostPort.hasPort())
            return error(request, response, callback, ErrorCode.BAD_REQUEST, "CONNECT needs host:port");
        if (!c.connectAllowedPorts().contains(hostPort.getPort()))
            return error(request, response, callback, ErrorCode.DESTINATION_FORBIDDEN,
                "CONNECT to port " + hostPort.getPort() + " is not allowed");
        return super.handle(request, response, callback);
    }

    @Override
    protected void onConnectFailure(Request request, Response response, Callback callback, Throwable failure)
    {
        ErrorCode code = Failures.classify(failure);
        LOG.info("CONNECT {} failed: {} {}", request.getHttpURI().getAuthority(), code, failure.toString());
        error(request, response, callback, code, Failures.message(code, "tunnel destination"));
    }

    private static boolean error(Request request, Response response, Callback callback, ErrorCode code, String message)
    {
        String requestId = RequestIds.choose(request.getHeaders().get(RequestIds.HEADER));
        byte[] body = ErrorResponse.bytes(code, message, requestId);
        response.setStatus(code.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ErrorResponse.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.getHeaders().put(RequestIds.HEADER, requestId);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
