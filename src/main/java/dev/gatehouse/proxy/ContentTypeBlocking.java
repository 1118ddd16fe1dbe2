package dev.gatehouse.proxy;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.PolicyException;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code filter.blocked-content-types}: an upstream response of a blocked type is aborted before
 * any of it reaches the client (logged and counted here; the client gets CONTENT_TYPE_BLOCKED).
 */
public final class ContentTypeBlocking implements ProxyParticipant
{
    private final GatehouseContext context;
    private final GatehouseMetrics metrics;

    public ContentTypeBlocking(GatehouseContext context, GatehouseMetrics metrics)
    {
        this.context = context;
        this.metrics = metrics;
    }

    @Override
    public boolean onResponseHeaders(Exchange exchange, HttpServletRequest clientToProxyRequest, Response serverToProxyResponse)
    {
        Policy policy = Snapshot.of(clientToProxyRequest, context).policy();
        String contentType = serverToProxyResponse.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (!policy.blockedContentTypes().blocks(contentType))
            return false;
        SecurityLog.event("content-type", ClientAddress.of(clientToProxyRequest, policy), RequestIds.of(clientToProxyRequest), contentType);
        metrics.rejection("content-type");
        serverToProxyResponse.abort(new PolicyException(ErrorCode.CONTENT_TYPE_BLOCKED, "The response content type is blocked by policy"));
        return true;
    }
}
