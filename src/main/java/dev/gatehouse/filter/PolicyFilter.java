package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Base of the policy filters: each decides from the request alone and either passes it on or
 * answers with the JSON error, logging the refusal once as a security event. The snapshot is read
 * once per request, so a request sees one configuration from start to end.
 */
abstract class PolicyFilter extends MeteredFilter
{


    /** The snapshot this request uses (pinned on first use). */
    protected Snapshot snapshot(HttpServletRequest request)
    {
        return Snapshot.of(request, context);
    }

    @Override
    protected final void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        if (context.isAdminRequest(request))
        {
            // the admin endpoints of a WAR have their own ACL (AdminAccessFilter); proxy policy
            // such as rate limits must not throttle health probes
            chain.doFilter(request, response);
            return;
        }
        Snapshot snapshot = snapshot(request);
        if (decide(request, response, snapshot, Dispatch.of(request, snapshot)))
            chain.doFilter(request, response);
    }

    /** Returns true to pass the request on; false once it has been answered. */
    protected abstract boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException;

    /** Answers with the JSON error and logs the security event. Returns false, for {@code return reject(...)}. */
    protected boolean reject(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, ErrorCode code,
                             String message, String reason, String value) throws IOException
    {
        return refuse(metrics, request, response, ClientAddress.of(request, snapshot.policy()), code, message, reason, value);
    }

    /** A refusal, whoever makes it: counted by reason, logged once as a security event, answered with the JSON error. */
    static boolean refuse(GatehouseMetrics metrics, HttpServletRequest request, HttpServletResponse response, String client,
                          ErrorCode code, String message, String reason, String value) throws IOException
    {
        metrics.rejection(reason);
        SecurityLog.event(reason, client, RequestIds.of(request), value);
        ErrorResponse.send(request, response, code, message, reason);
        return false;
    }
}
