package dev.gatehouse.routing;

import java.util.List;
import java.util.Locale;

import dev.gatehouse.config.GatehouseConfig;

/** Matches requests against the routes in configuration order; the first match wins. */
public final class Router
{
    private final GatehouseConfig config;
    private final Route[] routes;

    public Router(GatehouseConfig config)
    {
        this.config = config;
        List<Route> list = config.routes().stream().map(Route::new).toList();
        this.routes = list.toArray(new Route[0]);
    }

    public GatehouseConfig config()
    {
        return config;
    }

    /**
     * @param host    the request's host (from the absolute URI or the Host header), any case
     * @param rawPath the request path as sent, still percent-encoded
     * @param headers header lookup by lower-case name
     * @return the first matching route, or null
     */
    public Route match(String host, String rawPath, Route.HeaderLookup headers)
    {
        return match(host, rawPath, headers, null);
    }

    /** As above, with the raw query string for {@code match.query.*} conditions. */
    public Route match(String host, String rawPath, Route.HeaderLookup headers, String rawQuery)
    {
        if (routes.length == 0)
            return null;
        String lowerHost = host == null ? null : host.toLowerCase(Locale.ROOT);
        for (Route route : routes)
        {
            if (route.matches(lowerHost, rawPath, headers, rawQuery))
                return route;
        }
        return null;
    }

    /** True when a route names this host in {@code match.host} (exactly or by wildcard). */
    public boolean claimsHost(String host)
    {
        if (host == null || routes.length == 0)
            return false;
        String lowerHost = host.toLowerCase(Locale.ROOT);
        for (Route route : routes)
        {
            if (route.claimsHost(lowerHost))
                return true;
        }
        return false;
    }
}
