package dev.gatehouse.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Resolves the configuration from its sources and validates it. Precedence, highest first:
 * command line ({@code --key=value}), system properties ({@code -Dgatehouse.key=value}),
 * environment ({@code GATEHOUSE_KEY_NAME}), the properties file, built-in defaults.
 */
public final class ConfigLoader
{
    /** Environment variable naming the properties file. */
    public static final String ENV_CONFIG = "GATEHOUSE_CONFIG";
    /** System property (and WAR context parameter) naming the properties file. */
    public static final String CONFIG_PROPERTY = "gatehouse.config";
    static final String ENV_PREFIX = "GATEHOUSE_";
    static final String SYSPROP_PREFIX = "gatehouse.";

    private static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PROXY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern HOST = Pattern.compile("\\*\\.[A-Za-z0-9.-]+|[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private ConfigLoader()
    {
    }

    /**
     * Loads from every source.
     *
     * @param file    the properties file, or null for none
     * @param env     the process environment
     * @param sysprops system properties
     * @param cli     {@code --key=value} pairs from the command line
     * @param warn    receives one line per ignored environment variable
     */
    public static GatehouseConfig load(Path file, Map<String, String> env, Map<String, String> sysprops,
                                       Map<String, String> cli, Consumer<String> warn)
    {
        Map<String, String> merged = new LinkedHashMap<>();
        if (file != null)
            merged.putAll(normalized(readFile(file)));
        Map<String, String> fromSysprops = normalized(fromSystemProperties(sysprops));
        // Route names decide which GATEHOUSE_ROUTES_<NAME>_* variables are meaningful, so find them first.
        String routesKey = ConfigKeys.ROUTES.name();
        String routes = firstNonNull(cli.get(routesKey), fromSysprops.get(routesKey), env.get(envName(routesKey)), merged.get(routesKey));
        merged.putAll(fromEnvironment(env, splitList(routes), warn));
        merged.putAll(fromSysprops);
        merged.putAll(normalized(cli));
        return fromMap(merged);
    }

    /**
     * Header names are case-insensitive, so {@code routes.api.match.header.X-Tenant} and
     * {@code ...x-tenant} are one key: lower-cased here so that precedence between sources holds.
     */
    static Map<String, String> normalized(Map<String, String> source)
    {
        Map<String, String> map = new LinkedHashMap<>();
        source.forEach((key, value) ->
        {
            String suffix = ConfigKeys.routeSuffix(key);
            String family = suffix == null ? null : ConfigKeys.headerFamily(suffix);
            if (family != null)
            {
                int at = key.length() - suffix.length() + family.length();
                key = key.substring(0, at) + key.substring(at).toLowerCase(Locale.ROOT);
            }
            map.put(key, value);
        });
        return map;
    }

    /** The JVM's system properties as a map, for {@link #load}. */
    public static Map<String, String> systemProperties()
    {
        Map<String, String> map = new HashMap<>();
        Properties p = System.getProperties();
        for (String name : p.stringPropertyNames())
            map.put(name, p.getProperty(name));
        return map;
    }

    /** Reads a properties file (UTF-8). A missing or unreadable file is a configuration error. */
    public static Map<String, String> readFile(Path file)
    {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (IOException | IllegalArgumentException x)
        {
            throw new ConfigException("config", "cannot read configuration file '" + file + "': " + x.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames())
            map.put(name.trim(), properties.getProperty(name).trim());
        return map;
    }

    static Map<String, String> fromSystemProperties(Map<String, String> sysprops)
    {
        Map<String, String> map = new LinkedHashMap<>();
        sysprops.forEach((name, value) ->
        {
            if (name.startsWith(SYSPROP_PREFIX) && !name.equals(CONFIG_PROPERTY))
                map.put(name.substring(SYSPROP_PREFIX.length()), value);
        });
        return map;
    }

    /**
     * Maps {@code GATEHOUSE_CACHE_MAX_MEMORY} to {@code cache.max-memory} by comparing against the
     * known keys. Unknown {@code GATEHOUSE_*} variables are reported, not fatal: orchestrators
     * inject variables of their own with that prefix (Kubernetes service links for a service named
     * "gatehouse" create {@code GATEHOUSE_PORT}, {@code GATEHOUSE_SERVICE_HOST}, ...).
     */
    static Map<String, String> fromEnvironment(Map<String, String> env, List<String> routeNames, Consumer<String> warn)
    {
        Map<String, String> byEnvName = new HashMap<>();
        for (String key : ConfigKeys.defaults().keySet())
            byEnvName.put(envName(key), key);
        for (String route : routeNames)
            for (String suffix : ConfigKeys.ROUTE_SUFFIXES)
                byEnvName.put(envName("routes." + route + "." + suffix), "routes." + route + "." + suffix);
        Map<String, String> map = new LinkedHashMap<>();
        env.forEach((name, value) ->
        {
            if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_CONFIG))
                return;
            String key = byEnvName.get(name);
            if (key == null)
                key = routeHeaderKey(name, routeNames);
            if (key != null)
                map.put(key, value);
            else
                warn.accept("ignoring environment variable " + name + ": it names no configuration key");
        });
        return map;
    }

    private static String routeHeaderKey(String envName, List<String> routeNames)
    {
        for (String route : routeNames)
        {
            for (String family : ConfigKeys.ROUTE_HEADER_FAMILIES)
            {
                String prefix = envName("routes." + route + "." + family);
                if (envName.startsWith(prefix) && envName.length() > prefix.length())
                {
                    String header = envName.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                    return "routes." + route + "." + family + header;
                }
            }
        }
        return null;
    }

    /** {@code cache.max-memory} → {@code GATEHOUSE_CACHE_MAX_MEMORY}. */
    public static String envName(String key)
    {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Validates every key and value and builds the snapshot. */
    public static GatehouseConfig fromMap(Map<String, String> raw)
    {
        for (String key : raw.keySet())
        {
            if (!ConfigKeys.isKnown(key))
                throw new ConfigException(key, "unknown configuration key '" + key + "'" + hint(key));
        }
        Map<String, String> values = new LinkedHashMap<>(ConfigKeys.defaults());
        normalized(raw).forEach((k, v) -> values.put(k, v == null ? "" : v.trim()));

        String proxyId = ConfigKeys.PROXY_ID.read(values);
        if (proxyId.isEmpty())
            proxyId = PROCESS_ID;
        else if (!PROXY_ID.matcher(proxyId).matches())
            throw ConfigException.invalid(ConfigKeys.PROXY_ID.name(), "must be 1-64 characters of [A-Za-z0-9._-]", proxyId);
        values.put(ConfigKeys.PROXY_ID.name(), proxyId);

        int maxThreads = ConfigKeys.SERVER_MAX_THREADS.read(values);
        int minThreads = ConfigKeys.SERVER_MIN_THREADS.read(values);
        if (minThreads > maxThreads)
            throw ConfigException.invalid(ConfigKeys.SERVER_MIN_THREADS.name(), "must be <= server.max-threads (" + maxThreads + ")",
                values.get(ConfigKeys.SERVER_MIN_THREADS.name()));

        if (ConfigKeys.ADMIN_PROFILING.read(values) && ConfigKeys.ADMIN_TOKEN.read(values).isEmpty())
            throw ConfigException.invalid(ConfigKeys.ADMIN_PROFILING.name(), "needs admin.token: the profiler is an admin action", "true");

        Timeouts timeouts = new Timeouts(ConfigKeys.TIMEOUTS_CONNECT.read(values), ConfigKeys.TIMEOUTS_IDLE.read(values),
            ConfigKeys.TIMEOUTS_REQUEST.read(values));
        List<RouteConfig> routes = routes(values);
        String proxyHost = ConfigKeys.PROXY_HOST.read(values);
        return new GatehouseConfig(
            proxyHost,
            ConfigKeys.PROXY_PORT.read(values),
            proxyId,
            ConfigKeys.ADMIN_HOST.read(values),
            ConfigKeys.ADMIN_PORT.read(values),
            ConfigKeys.ADMIN_PATH_PREFIX.read(values),
            ConfigKeys.FORWARD_ENABLED.read(values),
            ConfigKeys.CONNECT_ENABLED.read(values),
            ConfigKeys.CONNECT_ALLOWED_PORTS.read(values),
            routes,
            timeouts.connect(),
            timeouts.idle(),
            timeouts.request(),
            ConfigKeys.SHUTDOWN_GRACE.read(values),
            maxThreads,
            minThreads,
            ConfigKeys.UPSTREAM_MAX_CONNECTIONS.read(values),
            PolicyConfigs.from(values, raw.containsKey(ConfigKeys.ACL_ALLOW.name())),
            LogConfig.from(values),
            values,
            CliConfigs.from(values),

            ProtocolConfigs.from(values, routes, proxyHost),
            CacheConfigs.from(values, ConfigKeys.ROUTES.read(values)));
    }

    /**
     * The default {@code proxy.id}: random, chosen once per process so that a reload keeps the
     * identity that Via and loop detection rely on.
     */
    static final String PROCESS_ID = randomId();

    /** Eight random characters of [0-9a-z]. */
    static String randomId()
    {
        char[] id = new char[8];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < id.length; i++)
            id[i] = Character.forDigit(random.nextInt(36), 36);
        return new String(id);
    }

    private static String hint(String key)
    {
        String best = null;
        int bestDistance = 3;
        for (String known : ConfigKeys.defaults().keySet())
        {
            int d = distance(key, known);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = known;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b)
    {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
            prev[j] = j;
        for (int i = 1; i <= a.length(); i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static List<RouteConfig> routes(Map<String, String> values)
    {
        List<String> names = ConfigKeys.ROUTES.read(values);
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names)
        {
            if (!ROUTE_NAME.matcher(name).matches())
                throw ConfigException.invalid(ConfigKeys.ROUTES.name(), "must list route names of [A-Za-z0-9_-]", name);
            if (!seen.add(name))
                throw ConfigException.invalid(ConfigKeys.ROUTES.name(), "must not list a route twice", name);
        }
        for (String key : values.keySet())
        {
            String route = ConfigKeys.routeName(key);
            if (route != null && !seen.contains(route))
                throw new ConfigException(key, key + " configures route '" + route + "', which is not listed in routes");
        }
        List<RouteConfig> routes = new ArrayList<>();
        for (String name : names)
            routes.add(route(values, name));
        return routes;
    }

    private static RouteConfig route(Map<String, String> values, String name)
    {
        String p = "routes." + name + ".";
        String hostKey = p + ConfigKeys.ROUTE_MATCH_HOST.name();
        String host = emptyToNull(ConfigKeys.ROUTE_MATCH_HOST.read(values, p));
        if (host != null)
        {
            if (!HOST.matcher(host).matches())
                throw ConfigException.invalid(hostKey, "must be a host name or *.domain", host);
            host = host.toLowerCase(Locale.ROOT);
        }
        String pathKey = p + ConfigKeys.ROUTE_MATCH_PATH.name();
        String path = emptyToNull(ConfigKeys.ROUTE_MATCH_PATH.read(values, p));
        if (path != null && (!path.startsWith("/") || path.contains("?") || path.contains("#")))
            throw ConfigException.invalid(pathKey, "must be a path prefix starting with /", path);
        Map<String, String> headers = new LinkedHashMap<>();
        String headerPrefix = p + ConfigKeys.ROUTE_MATCH_HEADER_PREFIX;
        values.forEach((k, v) ->
        {
            if (k.startsWith(headerPrefix))
            {
                String header = k.substring(headerPrefix.length());
                if (!HEADER_NAME.matcher(header).matches())
                    throw new ConfigException(k, k + " does not name a valid header");
                headers.put(header.toLowerCase(Locale.ROOT), v);
            }
        });
        Map<String, String> query = new LinkedHashMap<>();
        String queryPrefix = p + ConfigKeys.ROUTE_MATCH_QUERY_PREFIX;
        values.forEach((k, v) ->
        {
            if (k.startsWith(queryPrefix))
                query.put(k.substring(queryPrefix.length()), v);
        });
        String targetsKey = p + ConfigKeys.ROUTE_TARGETS.name();
        List<String> rawTargets = ConfigKeys.ROUTE_TARGETS.read(values, p);
        if (rawTargets.isEmpty())
            throw ConfigException.invalid(targetsKey, "must list at least one target URL for route '" + name + "'", values.get(targetsKey));
        List<URI> targets = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (String t : rawTargets)
        {
            int semi = t.indexOf(';');
            targets.add(target(targetsKey, semi < 0 ? t : t.substring(0, semi).trim()));
            weights.add(semi < 0 ? 1 : weight(targetsKey, t, t.substring(semi + 1).trim()));
        }
        boolean strip = ConfigKeys.ROUTE_STRIP_PREFIX.read(values, p);
        if (strip && path == null)
            throw ConfigException.invalid(p + ConfigKeys.ROUTE_STRIP_PREFIX.name(), "needs " + pathKey + " to strip", "true");
        boolean preserveHost = ConfigKeys.ROUTE_PRESERVE_HOST.read(values, p);
        return new RouteConfig(name, host, path, headers, query, targets, strip, preserveHost, PolicyConfigs.route(values, p),
            ResilienceConfigs.route(values, p, weights), RouteWebSocket.parse(values, p));
    }

    /** {@code weight=3} after a target URL. */
    private static int weight(String key, String target, String param)
    {
        if (param.startsWith("weight="))
        {
            try
            {
                int w = Integer.parseInt(param.substring("weight=".length()).trim());
                if (w >= 1 && w <= 1000)
                    return w;
            }
            catch (NumberFormatException ignored)
            {
                // reported below
            }
        }
        throw ConfigException.invalid(key, "must list URLs optionally followed by ;weight=N (1-1000)", target);
    }

    private static URI target(String key, String value)
    {
        try
        {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https"))
                throw ConfigException.invalid(key, "must list http:// or https:// URLs", value);
            if (uri.getHost() == null)
                throw ConfigException.invalid(key, "must list URLs with a host", value);
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null)
                throw ConfigException.invalid(key, "must list base URLs without query, fragment or user info", value);
            String path = uri.getRawPath() == null || uri.getRawPath().equals("/") ? "" : uri.getRawPath();
            if (path.endsWith("/"))
                path = path.substring(0, path.length() - 1);
            return new URI(scheme + "://" + uri.getRawAuthority() + path);
        }
        catch (URISyntaxException x)
        {
            throw ConfigException.invalid(key, "must list valid URLs", value);
        }
    }

    /** The smallest rate a rate limit takes: one request in 1000 s. */
    public static final double MIN_RATE = 0.001;
    public static final double MAX_RATE = 1_000_000_000;

    /** A rate in requests per second: 0 (off) or a decimal from {@link #MIN_RATE} to {@link #MAX_RATE}. */
    static double rate(String key, String v)
    {
        try
        {
            double n = Double.parseDouble(v.trim());
            if (n == 0 || n >= MIN_RATE && n <= MAX_RATE)
                return n;
        }
        catch (NumberFormatException ignored)
        {
            // reported below
        }
        throw ConfigException.invalid(key, "must be 0 (off) or a rate from 0.001 to 1000000000 requests per second", v);
    }

    public static List<String> splitList(String value)
    {
        List<String> list = new ArrayList<>();
        if (value == null)
            return list;
        for (String part : value.split(","))
        {
            String t = part.trim();
            if (!t.isEmpty())
                list.add(t);
        }
        return list;
    }

    private static String emptyToNull(String s)
    {
        return s == null || s.isEmpty() ? null : s;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values)
    {
        for (T v : values)
            if (v != null)
                return v;
        return null;
    }
}
