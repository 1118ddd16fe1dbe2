package dev.gatehouse.proxy;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Failures;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.PolicyException;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.routing.Route;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error a client gets when its proxied exchange failed before the response started: a policy
 * refusal made mid-exchange (SSRF after DNS, blocked content type, body over the limit), a client
 * that stopped sending, or an upstream failure mapped by {@link Failures}.
 */
final class ProxyFailureResponse
{
    private static final Logger LOG = LoggerFactory.getLogger(GatehouseProxyServlet.class);

    private ProxyFailureResponse()
    {
    }

    static void send(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse, Throwable failure,
                     Failures.Blame blame, Object clientFailure, Policy policy, GatehouseMetrics metrics)
    {
        String requestId = RequestIds.of(clientToProxyRequest);
        PolicyException refused = Failures.policy(failure);
        if (refused == null && clientFailure instanceof Throwable t)
            refused = Failures.policy(t);
        ErrorCode code;
        String message;
        String reason = null;
        if (refused != null)
        {
            code = refused.code();
            message = refused.getMessage();
            if (code == ErrorCode.PAYLOAD_TOO_LARGE)
            {
                OwnHeaders.set(clientToProxyRequest, proxyToClientResponse, "Connection", "close");
                reason = "body-size";
                SecurityLog.event(reason, ClientAddress.of(clientToProxyRequest, policy), requestId, message);
                metrics.rejection(reason);
            }
            else if (code == ErrorCode.DESTINATION_FORBIDDEN)
            {
                reason = "ssrf";
                SecurityLog.event(reason, ClientAddress.of(clientToProxyRequest, policy), requestId, clientToProxyRequest.getServerName());
                metrics.rejection(reason);
            }
            else if (code == ErrorCode.CONTENT_TYPE_BLOCKED)
            {
                reason = "content-type"; // logged and counted where the response headers arrived
            }
        }
        else if (blame == Failures.Blame.CLIENT)
        {
            // no client failure recorded: the upstream timed out waiting for a body the client did not send
            code = clientFailure == null || clientFailure instanceof TimeoutException ? ErrorCode.REQUEST_TIMEOUT : ErrorCode.BAD_REQUEST;
            message = "The request body could not be read from the client";
        }
        else
        {
            code = Failures.classify(failure);
            Exchange exchange = Exchange.of(clientToProxyRequest);
            Route route = exchange == null ? null : exchange.route;
            message = Failures.message(code, route == null ? "destination" : "for route '" + route.name() + "'");
            LOG.info("[{}] {} {}: {}", requestId, code, route == null ? "forward" : route.name(), failure.toString());
        }
        try
        {
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, code, message, reason);
        }
        catch (Exception x)
        {
            LOG.debug("[{}] could not send error to client", requestId, x);
        }
        finally
        {
            if (clientToProxyRequest.isAsyncStarted())
                clientToProxyRequest.getAsyncContext().complete();
        }
    }

    /** The request was refused before going upstream (no route, forward disabled, no target): {@code code} or FORBIDDEN. */
    static void sendRefusal(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse, ErrorCode code, String message)
    {
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

    /**
     * Requests the proxy refuses before looking at their target: TRACE and CONNECT (405 with
     * Allow), and one that already passed through this proxy (LOOP_DETECTED). True when refused.
     */
    static boolean refusedAtOnce(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse, String proxyId)
        throws IOException
    {
        String method = clientToProxyRequest.getMethod();
        if ("TRACE".equals(method) || "CONNECT".equals(method))
        {
            String message = "TRACE".equals(method) ? "TRACE is not allowed through this proxy"
                : "CONNECT tunnels are not available on this listener";
            OwnHeaders.set(clientToProxyRequest, proxyToClientResponse, "Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, ErrorCode.METHOD_NOT_ALLOWED, message);
            return true;
        }
        if (ProxyHeaders.viaNames(clientToProxyRequest.getHeaders("Via"), proxyId))
        {
            ErrorResponse.send(clientToProxyRequest, proxyToClientResponse, ErrorCode.LOOP_DETECTED,
                "The request has already passed through this proxy");
            return true;
        }
        return false;
    }
}
