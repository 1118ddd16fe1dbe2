package dev.gatehouse.routing;


import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.http.QueryParams;

/** A compiled route: its match conditions and how it builds the upstream URL; the pool picks the target. */
public final class Route
{
    private final RouteConfig config;
    private final String hostSuffix;
    private final String[] headerNames;
    private final String[] headerValues;
    private final String[] queryNames;
    private final String[] queryValues;

    Route(RouteConfig config)
    {
        this.config = config;
        String host = config.matchHost();
        this.hostSuffix = host != null && host.startsWith("*.") ? host.substring(1) : null;
        this.headerNames = config.matchHeaders().keySet().toArray(new String[0]);
        this.headerValues = new String[headerNames.length];
        for (int i = 0; i < headerNames.length; i++)
            headerValues[i] = config.matchHeaders().get(headerNames[i]);
        this.queryNames = config.matchQuery().keySet().toArray(new String[0]);
        this.queryValues = new String[queryNames.length];
        for (int i = 0; i < queryNames.length; i++)
            queryValues[i] = config.matchQuery().get(queryNames[i]);
    }

    public String name()
    {
        return config.name();
    }

    public RouteConfig config()
    {
        return config;
    }

    /** This route has a {@code match.host} and it matches {@code host} (lower case). */
    boolean claimsHost(String host)
    {
        return config.matchHost() != null && hostMatches(host);
    }

    private boolean hostMatches(String host)
    {
        String matchHost = config.matchHost();
        if (hostSuffix != null)
            return host != null && host.length() > hostSuffix.length() && host.endsWith(hostSuffix);
        return matchHost.equals(host);
    }

    /** All given conditions hold. {@code host} must be lower case; {@code path} is the raw (encoded) path. */
    boolean matches(String host, String path, HeaderLookup headerLookup)
    {
        return matches(host, path, headerLookup, null);
    }

    /** As above, also checking {@code match.query.*} against the raw query string. */
    boolean matches(String host, String path, HeaderLookup headerLookup, String rawQuery)
    {
        for (int i = 0; i < queryNames.length; i++)
        {
            if (!queryValues[i].equals(QueryParams.first(rawQuery, queryNames[i])))
                return false;
        }
        if (config.matchHost() != null && !hostMatches(host))
            return false;
        String prefix = config.matchPath();
        if (prefix != null && !pathMatches(prefix, path))
            return false;
        for (int i = 0; i < headerNames.length; i++)
        {
            if (!headerValues[i].equals(headerLookup.get(headerNames[i])))
                return false;
        }
        return true;
    }

    /** {@code /api/} matches {@code /api/x}; {@code /api} matches {@code /api} and {@code /api/x}, not {@code /apix}. */
    static boolean pathMatches(String prefix, String path)
    {
        if (!path.startsWith(prefix))
            return false;
        return prefix.endsWith("/") || path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    /** The upstream URL on a given target base URL (chosen by the route's upstream pool). */
    public String target(String base, String rawPath, String rawQuery)
    {
        String path = rawPath;
        if (config.stripPrefix())
        {
            String prefix = config.matchPath();
            String prefixNoSlash = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
            path = rawPath.substring(prefixNoSlash.length());
        }
        StringBuilder url = new StringBuilder(base.length() + path.length() + (rawQuery == null ? 1 : rawQuery.length() + 2));
        url.append(base);
        if (path.isEmpty() || path.charAt(0) != '/')
            url.append('/');
        url.append(path);
        if (rawQuery != null)
            url.append('?').append(rawQuery);
        return url.toString();
    }

    /** Header access without tying the matcher to the servlet API. */
    @FunctionalInterface
    interface HeaderLookup
    {
        String get(String lowerCaseName);
    }
}
