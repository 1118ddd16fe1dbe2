package dev.gatehouse.config;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One reverse-proxy route: conditions that must all hold, and the targets that serve it.
 *
 * @param name         the route name, as listed in {@code routes}
 * @param matchHost    exact host or {@code *.example.com}; null matches any host
 * @param matchPath    path prefix such as {@code /api/}; null matches any path
 * @param matchHeaders header name (lower case) to exact value; empty matches any request
 * @param matchQuery   query parameter name to exact (decoded) value of its first occurrence
 * @param targets      base URLs of the upstreams, used round-robin
 * @param stripPrefix  remove {@code matchPath} from the forwarded path
 * @param preserveHost send the client's Host header upstream instead of the target's
 * @param policy       rate-limit, ACL and header overrides for this route
 * @param resilience   balancer, health checks, breakers, retries, timeouts, bulkhead
 * @param websocket    how upgrade requests on this route are proxied
 */
public record RouteConfig(String name, String matchHost, String matchPath, Map<String, String> matchHeaders,
                          Map<String, String> matchQuery,
                          List<URI> targets, boolean stripPrefix, boolean preserveHost, RoutePolicy policy,
                          RouteResilience resilience, RouteWebSocket websocket)
{
    public RouteConfig
    {
        matchHeaders = Map.copyOf(matchHeaders);
        matchQuery = Map.copyOf(matchQuery);
        targets = List.copyOf(targets);
    }
}
