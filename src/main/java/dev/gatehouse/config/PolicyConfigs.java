package dev.gatehouse.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.time.Duration;

/** Reads the policy keys ({@code acl.*}, {@code ratelimit.*}, {@code filter.*}, ...) into typed records. */
final class PolicyConfigs
{
    private static final Set<String> MODES = Set.of("blocklist", "allowlist", "mixed");
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private PolicyConfigs()
    {
    }

    static PolicyConfig from(Map<String, String> values, boolean aclAllowExplicit)
    {
        String mode = values.get(ConfigKeys.FILTER_MODE).toLowerCase(Locale.ROOT);
        if (!MODES.contains(mode))
            throw ConfigException.invalid(ConfigKeys.FILTER_MODE, "must be blocklist, allowlist or mixed", values.get(ConfigKeys.FILTER_MODE));
        double rps = ConfigLoader.rate(values, ConfigKeys.RATELIMIT_RPS);
        long burst = ConfigLoader.longIn(values, ConfigKeys.RATELIMIT_BURST, 0, 1_000_000_000);
        Set<String> methods = new LinkedHashSet<>();
        for (String m : ConfigLoader.splitList(values.get(ConfigKeys.LIMITS_ALLOWED_METHODS)))
        {
            if (!TOKEN.matcher(m).matches())
                throw ConfigException.invalid(ConfigKeys.LIMITS_ALLOWED_METHODS, "must list HTTP methods", m);
            methods.add(m.toUpperCase(Locale.ROOT));
        }
        if (methods.isEmpty())
            throw ConfigException.invalid(ConfigKeys.LIMITS_ALLOWED_METHODS, "must list at least one method", values.get(ConfigKeys.LIMITS_ALLOWED_METHODS));
        Map<String, String> security = new LinkedHashMap<>();
        PolicyConfig.SECURITY_HEADER_NAMES.forEach((key, header) -> security.put(header, values.get(key)));
        Duration reload = Durations.parse(ConfigKeys.RELOAD_INTERVAL, values.get(ConfigKeys.RELOAD_INTERVAL));
        return new PolicyConfig(
            ConfigLoader.splitList(values.get(ConfigKeys.TRUST_PROXIES)),
            ConfigLoader.splitList(values.get(ConfigKeys.ACL_ALLOW)),
            aclAllowExplicit,
            ConfigLoader.splitList(values.get(ConfigKeys.ACL_DENY)),
            ConfigLoader.splitList(values.get(ConfigKeys.ADMIN_ACL_ALLOW)),
            values.get(ConfigKeys.ADMIN_TOKEN),
            rps,
            burst,
            ConfigLoader.intIn(values, ConfigKeys.RATELIMIT_MAX_CLIENTS, 100, 100_000_000),
            values.get(ConfigKeys.RATELIMIT_KEY),
            path(values.get(ConfigKeys.RATELIMIT_KEYS_FILE)),
            mode,
            ConfigLoader.splitList(values.get(ConfigKeys.FILTER_BLOCKED)),
            ConfigLoader.splitList(values.get(ConfigKeys.FILTER_ALLOWED)),
            path(values.get(ConfigKeys.FILTER_BLOCKED_FILE)),
            path(values.get(ConfigKeys.FILTER_ALLOWED_FILE)),
            values.get(ConfigKeys.FILTER_MESSAGE),
            ConfigLoader.bool(values, ConfigKeys.FILTER_REVERSE_HOST),
            ConfigLoader.splitList(values.get(ConfigKeys.FILTER_BLOCKED_CONTENT_TYPES)),
            ConfigLoader.bool(values, ConfigKeys.SSRF_ENABLED),
            ConfigLoader.splitList(values.get(ConfigKeys.SSRF_ALLOW)),
            ConfigLoader.intIn(values, ConfigKeys.LIMITS_MAX_URL_LENGTH, 64, 1 << 20),
            positiveSize(values, ConfigKeys.LIMITS_MAX_HEADER_SIZE, 1024, 1 << 20),
            ConfigLoader.intIn(values, ConfigKeys.LIMITS_MAX_HEADERS, 1, 10_000),
            Sizes.parse(ConfigKeys.LIMITS_MAX_BODY_SIZE, values.get(ConfigKeys.LIMITS_MAX_BODY_SIZE)),
            methods,
            security,
            ConfigLoader.bool(values, ConfigKeys.HEADERS_OVERRIDE),
            ConfigLoader.splitList(values.get(ConfigKeys.HEADERS_REMOVE)),
            path(values.get(ConfigKeys.AUTH_USERS_FILE)),
            values.get(ConfigKeys.AUTH_REALM),
            reload,
            RateLimitBackend.from(values));
    }

    static RoutePolicy route(Map<String, String> values, String prefix)
    {
        double rps = values.containsKey(prefix + ConfigKeys.ROUTE_RATELIMIT_RPS)
            ? ConfigLoader.rate(values, prefix + ConfigKeys.ROUTE_RATELIMIT_RPS) : 0;
        long burst = values.containsKey(prefix + ConfigKeys.ROUTE_RATELIMIT_BURST)
            ? ConfigLoader.longIn(values, prefix + ConfigKeys.ROUTE_RATELIMIT_BURST, 0, 1_000_000_000) : 0;
        Map<String, String> security = new LinkedHashMap<>();
        PolicyConfig.SECURITY_HEADER_NAMES.forEach((key, header) ->
        {
            String v = values.get(prefix + key);
            if (v != null)
                security.put(header, v);
        });
        return new RoutePolicy(rps, burst, values.get(prefix + ConfigKeys.ROUTE_RATELIMIT_KEY),
            ConfigLoader.splitList(values.get(prefix + ConfigKeys.ROUTE_ACL_ALLOW)),
            ConfigLoader.splitList(values.get(prefix + ConfigKeys.ROUTE_ACL_DENY)),
            security,
            family(values, prefix + ConfigKeys.ROUTE_REQUEST_HEADERS_SET),
            family(values, prefix + ConfigKeys.ROUTE_REQUEST_HEADERS_ADD),
            ConfigLoader.splitList(values.get(prefix + ConfigKeys.ROUTE_REQUEST_HEADERS_REMOVE)),
            family(values, prefix + ConfigKeys.ROUTE_RESPONSE_HEADERS_SET),
            family(values, prefix + ConfigKeys.ROUTE_RESPONSE_HEADERS_ADD),
            ConfigLoader.splitList(values.get(prefix + ConfigKeys.ROUTE_RESPONSE_HEADERS_REMOVE)));
    }

    private static Map<String, String> family(Map<String, String> values, String prefix)
    {
        Map<String, String> map = new LinkedHashMap<>();
        values.forEach((k, v) ->
        {
            if (k.startsWith(prefix))
            {
                String header = k.substring(prefix.length());
                if (!TOKEN.matcher(header).matches())
                    throw new ConfigException(k, k + " does not name a valid header");
                if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0)
                    throw ConfigException.invalid(k, "must be a single-line header value", v);
                map.put(header, v);
            }
        });
        return map;
    }

    private static long positiveSize(Map<String, String> values, String key, long min, long max)
    {
        long n = Sizes.parse(key, values.get(key));
        if (n < min || n > max)
            throw ConfigException.invalid(key, "must be between " + min + " and " + max + " bytes", values.get(key));
        return n;
    }

    private static Path path(String value)
    {
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }
}
