package dev.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * Per-route policy: rate-limit and ACL overrides, security header overrides, and header edits.
 * Header names in the maps are lower case; values of {@code securityHeaders} override the global
 * ones by header name (an empty value turns that header off for the route).
 *
 * @param rateLimitRps   0 = use the global limit
 * @param rateLimitBurst 0 = same as the rate
 * @param aclAllow       empty = the global ACL applies
 */
public record RoutePolicy(
    double rateLimitRps,
    long rateLimitBurst,
    String rateLimitKey,
    List<String> aclAllow,
    List<String> aclDeny,
    Map<String, String> securityHeaders,
    Map<String, String> requestSet,
    Map<String, String> requestAdd,
    List<String> requestRemove,
    Map<String, String> responseSet,
    Map<String, String> responseAdd,
    List<String> responseRemove)
{
    public static final RoutePolicy NONE = new RoutePolicy(0, 0, null, List.of(), List.of(), Map.of(), Map.of(), Map.of(), List.of(),
        Map.of(), Map.of(), List.of());

    public RoutePolicy
    {
        aclAllow = List.copyOf(aclAllow);
        aclDeny = List.copyOf(aclDeny);
        securityHeaders = Map.copyOf(securityHeaders);
        requestSet = Map.copyOf(requestSet);
        requestAdd = Map.copyOf(requestAdd);
        requestRemove = List.copyOf(requestRemove);
        responseSet = Map.copyOf(responseSet);
        responseAdd = Map.copyOf(responseAdd);
        responseRemove = List.copyOf(responseRemove);
    }
}
