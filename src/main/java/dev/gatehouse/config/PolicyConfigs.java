package dev.gatehouse.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the policy keys ({@code acl.*}, {@code ratelimit.*}, {@code filter.*}, ...) into typed records. */
final class PolicyConfigs
{
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private PolicyConfigs()
    {
    }

    static PolicyConfig from(Map<String, String> values, boolean aclAllowExplicit)
    {
        String mode = ConfigKeys.FILTER_MODE.read(values);
        double rps = ConfigKeys.RATELIMIT_RPS.read(values);
        long burst = ConfigKeys.RATELIMIT_BURST.read(values);
        String methodsText = values.get(ConfigKeys.LIMITS_ALLOWED_METHODS.name());
        Set<String> methods = new LinkedHashSet<>();
        for (String m : ConfigLoader.splitList(methodsText))
        {
            if (!TOKEN.matcher(m).matches())
                throw ConfigException.invalid(ConfigKeys.LIMITS_ALLOWED_METHODS.name(), "must list HTTP methods", m);
            methods.add(m.toUpperCase(Locale.ROOT));
        }
        if (methods.isEmpty())
            throw ConfigException.invalid(ConfigKeys.LIMITS_ALLOWED_METHODS.name(), "must list at least one method", methodsText);
        Map<String, String> security = new LinkedHashMap<>();
        ConfigKeys.ROUTE_SECURITY_HEADERS.forEach((key, header) -> security.put(header, key.inherited().read(values)));
        Duration reload = ConfigKeys.RELOAD_INTERVAL.read(values);
        return new PolicyConfig(
            ConfigKeys.TRUST_PROXIES.read(values),
            ConfigKeys.ACL_ALLOW.read(values),
            aclAllowExplicit,
            ConfigKeys.ACL_DENY.read(values),
            ConfigKeys.ADMIN_ACL_ALLOW.read(values),
            ConfigKeys.ADMIN_TOKEN.read(values),
            rps,
            burst,
            ConfigKeys.RATELIMIT_MAX_CLIENTS.read(values),
            ConfigKeys.RATELIMIT_KEY.read(values),
            ConfigKeys.RATELIMIT_KEYS_FILE.read(values),
            mode,
            ConfigKeys.FILTER_BLOCKED.read(values),
            ConfigKeys.FILTER_ALLOWED.read(values),
            ConfigKeys.FILTER_BLOCKED_FILE.read(values),
            ConfigKeys.FILTER_ALLOWED_FILE.read(values),
            ConfigKeys.FILTER_MESSAGE.read(values),
            ConfigKeys.FILTER_REVERSE_HOST.read(values),
            ConfigKeys.FILTER_BLOCKED_CONTENT_TYPES.read(values),
            ConfigKeys.SSRF_ENABLED.read(values),
            ConfigKeys.SSRF_ALLOW.read(values),
            ConfigKeys.LIMITS_MAX_URL_LENGTH.read(values),
            ConfigKeys.LIMITS_MAX_HEADER_SIZE.read(values),
            ConfigKeys.LIMITS_MAX_HEADERS.read(values),
            ConfigKeys.LIMITS_MAX_BODY_SIZE.read(values),
            methods,
            security,
            ConfigKeys.HEADERS_OVERRIDE.read(values),
            ConfigKeys.HEADERS_REMOVE.read(values),
            ConfigKeys.AUTH_USERS_FILE.read(values),
            ConfigKeys.AUTH_REALM.read(values),
            reload,
            RateLimitBackend.from(values));
    }

    static RoutePolicy route(Map<String, String> values, String prefix)
    {
        Double rps = ConfigKeys.ROUTE_RATELIMIT_RPS.readOverride(values, prefix);
        Long burst = ConfigKeys.ROUTE_RATELIMIT_BURST.readOverride(values, prefix);
        Map<String, String> security = new LinkedHashMap<>();
        ConfigKeys.ROUTE_SECURITY_HEADERS.forEach((key, header) ->
        {
            String v = key.readOverride(values, prefix);
            if (v != null)
                security.put(header, v);
        });
        return new RoutePolicy(rps == null ? 0 : rps, burst == null ? 0 : burst, ConfigKeys.ROUTE_RATELIMIT_KEY.readOverride(values, prefix),
            ConfigKeys.ROUTE_ACL_ALLOW.read(values, prefix),
            ConfigKeys.ROUTE_ACL_DENY.read(values, prefix),
            security,
            family(values, prefix + ConfigKeys.ROUTE_REQUEST_HEADERS_SET),
            family(values, prefix + ConfigKeys.ROUTE_REQUEST_HEADERS_ADD),
            ConfigKeys.ROUTE_REQUEST_HEADERS_REMOVE.read(values, prefix),
            family(values, prefix + ConfigKeys.ROUTE_RESPONSE_HEADERS_SET),
            family(values, prefix + ConfigKeys.ROUTE_RESPONSE_HEADERS_ADD),
            ConfigKeys.ROUTE_RESPONSE_HEADERS_REMOVE.read(values, prefix));
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
}
