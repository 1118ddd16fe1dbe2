package dev.gatehouse.server;

import dev.gatehouse.support.FilterChainOrder;
import dev.gatehouse.support.Gatehouse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded server runs the proxy's filters in the one order (Application.PROXY_FILTERS); the
 * WAR contract checks the same in Tomcat and in Jetty.
 */
class FilterOrderIT
{
    @Test
    void embeddedProxyContextRunsTheFiltersInTheOneOrder() throws Exception
    {
        try (Gatehouse gatehouse = Gatehouse.start("cli.enabled", "true"))
        {
            ServletContextHandler proxy = gatehouse.server().server().getDescendants(ServletContextHandler.class).stream()
                .filter(c -> "gatehouse-proxy".equals(c.getDisplayName()))
                .findFirst().orElseThrow();
            assertEquals(FilterChainOrder.expected(), FilterChainOrder.proxyChain(proxy), "the embedded proxy context's chain");
        }
    }
}
