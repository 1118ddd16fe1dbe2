package dev.gatehouse.routing;

import dev.gatehouse.config.GatehouseConfig;

/**
 * What deciding a request's {@link Dispatch} needs from the running configuration: the listener
 * settings and the compiled routes. The snapshot a request uses provides it.
 */
public interface Routing
{
    GatehouseConfig config();

    Router router();
}
