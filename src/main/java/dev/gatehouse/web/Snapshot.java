package dev.gatehouse.web;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.routing.Router;
import dev.gatehouse.routing.Routing;
import jakarta.servlet.http.HttpServletRequest;

/**
 * One consistent view for a request: the configuration and what is compiled from it (routes,
 * address sets, domain lists, users). Built whole, checked whole, swapped atomically.
 */
public record Snapshot(GatehouseConfig config, Router router, Policy policy) implements Routing
{
    static final String ATTRIBUTE = "dev.gatehouse.snapshot";

    /** The snapshot a request uses: the current one on first use, then the same for the whole request. */
    public static Snapshot of(HttpServletRequest request, GatehouseContext context)
    {
        Object pinned = request.getAttribute(ATTRIBUTE);
        if (pinned instanceof Snapshot s)
            return s;
        Snapshot s = context.snapshot();
        request.setAttribute(ATTRIBUTE, s);
        return s;
    }

    /** Compiles a configuration; list and users files are read here. Throws ConfigException. */
    public static Snapshot build(GatehouseConfig config)
    {
        return new Snapshot(config, new Router(config), Policy.build(config));
    }
}
