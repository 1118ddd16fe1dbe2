package dev.gatehouse.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.PolicyConfig;
import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.config.RoutePolicy;

/**
 * The policy of one configuration snapshot, compiled: address sets, domain lists, users, limits
 * and header rules. Built (and its files read and checked) when the configuration loads or
 * reloads; read-only afterwards, so filters use it without locks.
 */
public final class Policy
{
    /** Per-route overrides, compiled. */
    public record RouteRules(CidrSet allow, CidrSet deny, RateLimiter.Limit limit, RateLimitKey key, Map<String, String> securityHeaders)
    {
    }

    private final PolicyConfig config;
    private final CidrSet trustedProxies;
    private final CidrSet aclAllow;
    private final CidrSet aclDeny;
    private final CidrSet adminAllow;
    private final RateLimiter.Limit globalLimit;
    private final RateLimitKey rateLimitKey;
    private final RateLimitKeys rateLimitKeys;
    private final Map<String, RouteRules> routes;
    private final DestinationPolicy destinations;
    private final ContentTypeRule blockedContentTypes;
    private final SsrfGuard ssrf;
    private final UsersFile users;
    private final Map<String, String> securityHeaders;
    private final Set<String> removedResponseHeaders;

    private Policy(GatehouseConfig gatehouseConfig)
    {
        PolicyConfig c = gatehouseConfig.policy();
        this.config = c;
        this.trustedProxies = CidrSet.parse(ConfigKeys.TRUST_PROXIES.name(), c.trustProxies());
        this.aclAllow = CidrSet.parse(ConfigKeys.ACL_ALLOW.name(), c.aclAllow());
        this.aclDeny = CidrSet.parse(ConfigKeys.ACL_DENY.name(), c.aclDeny());
        this.adminAllow = CidrSet.parse(ConfigKeys.ADMIN_ACL_ALLOW.name(), c.adminAclAllow());
        this.globalLimit = limit(c.rateLimitRps(), c.rateLimitBurst());
        this.rateLimitKey = RateLimitKey.parse(ConfigKeys.RATELIMIT_KEY.name(), c.rateLimitKey());
        this.rateLimitKeys = RateLimitKeys.load(ConfigKeys.RATELIMIT_KEYS_FILE.name(), c.rateLimitKeysFile());
        this.securityHeaders = nonEmpty(c.securityHeaders());
        Map<String, RouteRules> r = new HashMap<>();
        for (RouteConfig route : gatehouseConfig.routes())
        {
            RoutePolicy p = route.policy();
            String prefix = "routes." + route.name() + ".";
            Map<String, String> headers = new LinkedHashMap<>(c.securityHeaders());
            headers.putAll(p.securityHeaders());
            r.put(route.name(), new RouteRules(
                CidrSet.parse(prefix + ConfigKeys.ROUTE_ACL_ALLOW.name(), p.aclAllow()),
                CidrSet.parse(prefix + ConfigKeys.ROUTE_ACL_DENY.name(), p.aclDeny()),
                p.rateLimitRps() > 0 ? limit(p.rateLimitRps(), p.rateLimitBurst()) : globalLimit,
                p.rateLimitKey() == null ? null : RateLimitKey.parse(prefix + ConfigKeys.ROUTE_RATELIMIT_KEY.name(), p.rateLimitKey()),
                nonEmpty(headers)));
        }
        this.routes = Map.copyOf(r);
        DomainMatcher allowed = union(ConfigKeys.FILTER_ALLOWED.name(), c.filterAllowed(), ConfigKeys.FILTER_ALLOWED_FILE.name(), c.filterAllowedFile());
        DomainMatcher blocked = union(ConfigKeys.FILTER_BLOCKED.name(), c.filterBlocked(), ConfigKeys.FILTER_BLOCKED_FILE.name(), c.filterBlockedFile());
        this.destinations = new DestinationPolicy(DestinationPolicy.parseMode(ConfigKeys.FILTER_MODE.name(), c.filterMode()), allowed, blocked);
        this.blockedContentTypes = ContentTypeRule.of(ConfigKeys.FILTER_BLOCKED_CONTENT_TYPES.name(), c.blockedContentTypes());
        List<String> ssrfAddresses = new ArrayList<>();
        List<String> ssrfHosts = new ArrayList<>();
        for (String entry : c.ssrfAllow())
        {
            String e = entry.trim();
            if (looksLikeAddress(e))
                ssrfAddresses.add(e);
            else
                ssrfHosts.add(e);
        }
        this.ssrf = new SsrfGuard(c.ssrfEnabled(), CidrSet.parse(ConfigKeys.SSRF_ALLOW.name(), ssrfAddresses),
            DomainMatcher.of(ConfigKeys.SSRF_ALLOW.name(), ssrfHosts));
        this.users = c.usersFile() == null ? null : UsersFile.load(ConfigKeys.AUTH_USERS_FILE.name(), c.usersFile());
        Set<String> removed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        removed.addAll(c.headersRemove());
        this.removedResponseHeaders = Collections.unmodifiableSet(removed);
    }

    /** Compiles the policy of a configuration. Throws ConfigException naming the bad key and value. */
    public static Policy build(GatehouseConfig config)
    {
        return new Policy(config);
    }

    private static boolean looksLikeAddress(String entry)
    {
        if (entry.equals("loopback") || entry.equals("private") || entry.equals("link-local") || entry.equals("any"))
            return true;
        String bare = entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry;
        return CidrSet.parseLiteral(bare) != null;
    }

    private static DomainMatcher union(String key, List<String> inline, String fileKey, Path file)
    {
        if (file == null)
            return inline.isEmpty() ? DomainMatcher.EMPTY : DomainMatcher.of(key, inline);
        DomainMatcher fromFile = DomainMatcher.load(fileKey, file);
        if (inline.isEmpty())
            return fromFile;
        return DomainMatcher.union(DomainMatcher.of(key, inline), fromFile);
    }

    private static RateLimiter.Limit limit(double rps, long burst)
    {
        if (rps <= 0)
            return null;
        return RateLimiter.Limit.withDefaultBurst(rps, burst);
    }

    private static Map<String, String> nonEmpty(Map<String, String> headers)
    {
        Map<String, String> m = new LinkedHashMap<>();
        headers.forEach((k, v) ->
        {
            if (v != null && !v.isEmpty())
                m.put(k, v);
        });
        return Collections.unmodifiableMap(m);
    }

    public PolicyConfig config()
    {
        return config;
    }

    public CidrSet trustedProxies()
    {
        return trustedProxies;
    }

    public CidrSet aclAllow()
    {
        return aclAllow;
    }

    public boolean aclAllowExplicit()
    {
        return config.aclAllowExplicit();
    }

    public CidrSet aclDeny()
    {
        return aclDeny;
    }

    public CidrSet adminAllow()
    {
        return adminAllow;
    }

    /** The limit for a route (its own, else the global one), or the global limit for null; null = unlimited. */
    public RateLimiter.Limit limit(String route)
    {
        if (route == null)
            return globalLimit;
        RouteRules rules = routes.get(route);
        return rules == null ? globalLimit : rules.limit();
    }

    /** What the buckets of a route (or, for null, of the global limit) are keyed by. */
    public RateLimitKey rateLimitKey(String route)
    {
        if (route != null)
        {
            RouteRules rules = routes.get(route);
            if (rules != null && rules.key() != null)
                return rules.key();
        }
        return rateLimitKey;
    }

    /** Per-key limits from {@code ratelimit.keys-file}. */
    public RateLimitKeys rateLimitKeys()
    {
        return rateLimitKeys;
    }

    /** True when the route sets its own rate (its buckets are then separate from the global ones). */
    public boolean hasOwnLimit(String route)
    {
        RouteRules rules = route == null ? null : routes.get(route);
        return rules != null && rules.limit() != null && rules.limit() != globalLimit;
    }

    public RouteRules route(String route)
    {
        return routes.get(route);
    }

    public DestinationPolicy destinations()
    {
        return destinations;
    }

    public ContentTypeRule blockedContentTypes()
    {
        return blockedContentTypes;
    }

    public SsrfGuard ssrf()
    {
        return ssrf;
    }

    /** The proxy users, or null when proxy authentication is off. */
    public UsersFile users()
    {
        return users;
    }

    /** Security response headers (name to value) for a route, or the global ones for null. */
    public Map<String, String> securityHeaders(String route)
    {
        if (route != null)
        {
            RouteRules rules = routes.get(route);
            if (rules != null)
                return rules.securityHeaders();
        }
        return securityHeaders;
    }

    private static final Set<String> SECURITY_HEADER_NAMES = securityHeaderNames();

    private static Set<String> securityHeaderNames()
    {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(PolicyConfig.SECURITY_HEADER_NAMES.values());
        return Collections.unmodifiableSet(names);
    }

    /** True for the response headers the security-headers policy manages (any case). */
    public static boolean isSecurityHeader(String name)
    {
        return SECURITY_HEADER_NAMES.contains(name);
    }

    /** Response header names (case-insensitive set) stripped from upstream responses ({@code headers.remove}). */
    public Set<String> removedResponseHeaders()
    {
        return removedResponseHeaders;
    }
}
