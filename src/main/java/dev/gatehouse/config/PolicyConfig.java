package dev.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The policy part of a configuration snapshot, typed and checked. Lists of addresses and domains
 * are kept as written here and compiled (and checked) by {@code dev.gatehouse.policy.Policy}.
 *
 * @param aclAllowExplicit whether {@code acl.allow} was set by the operator: the default only
 *                         guards forward and CONNECT use, an explicit one every request
 * @param securityHeaders  header name to value for the security response headers; empty = off
 * @param rateLimitBackend where the buckets live (read at start-up; a reload keeps the running backend)
 */
public record PolicyConfig(
    List<String> trustProxies,
    List<String> aclAllow,
    boolean aclAllowExplicit,
    List<String> aclDeny,
    List<String> adminAclAllow,
    String adminToken,
    double rateLimitRps,
    long rateLimitBurst,
    int rateLimitMaxClients,
    String rateLimitKey,
    Path rateLimitKeysFile,
    String filterMode,
    List<String> filterBlocked,
    List<String> filterAllowed,
    Path filterBlockedFile,
    Path filterAllowedFile,
    String filterMessage,
    boolean filterReverseHost,
    List<String> blockedContentTypes,
    boolean ssrfEnabled,
    List<String> ssrfAllow,
    int maxUrlLength,
    long maxHeaderSize,
    int maxHeaders,
    long maxBodySize,
    Set<String> allowedMethods,
    Map<String, String> securityHeaders,
    boolean headersOverride,
    List<String> headersRemove,
    Path usersFile,
    String authRealm,
    Duration reloadInterval,
    RateLimitBackend rateLimitBackend)
{
    public PolicyConfig
    {
        trustProxies = List.copyOf(trustProxies);
        aclAllow = List.copyOf(aclAllow);
        aclDeny = List.copyOf(aclDeny);
        adminAclAllow = List.copyOf(adminAclAllow);
        filterBlocked = List.copyOf(filterBlocked);
        filterAllowed = List.copyOf(filterAllowed);
        blockedContentTypes = List.copyOf(blockedContentTypes);
        ssrfAllow = List.copyOf(ssrfAllow);
        allowedMethods = Set.copyOf(allowedMethods);
        securityHeaders = Map.copyOf(securityHeaders);
        headersRemove = List.copyOf(headersRemove);
    }

    /** The security response headers, in the order they are documented: key suffix to header name. */
    public static final Map<String, String> SECURITY_HEADER_NAMES = orderedHeaderNames();

    private static Map<String, String> orderedHeaderNames()
    {
        Map<String, String> m = new LinkedHashMap<>();
        ConfigKeys.ROUTE_SECURITY_HEADERS.forEach((key, header) -> m.put(key.name(), header));
        return Collections.unmodifiableMap(m);
    }
}
