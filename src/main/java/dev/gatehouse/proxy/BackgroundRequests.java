package dev.gatehouse.proxy;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.client.Request;

/**
 * Requests the proxy sends on its own behalf for a client's request (a background cache refresh),
 * to where that request would go: the route's pool (balancer, health, breaker, bulkhead; the
 * exchange is accounted like any other) or the forward client with its SSRF-checking resolver.
 * The proxy servlet publishes itself under {@link #ATTRIBUTE} in its servlet context.
 */
public interface BackgroundRequests
{
    /** The servlet-context attribute holding the proxy's {@code BackgroundRequests}. */
    String ATTRIBUTE = BackgroundRequests.class.getName();

    /**
     * A GET for the request's target, with the request's headers as the proxy forwards them and the
     * idle timeout set, ready to send; null when it cannot go (no route, no pool, refused). Called
     * on the request's thread; the returned request keeps no reference to the client's.
     */
    Request newGet(HttpServletRequest clientToProxyRequest);
}
