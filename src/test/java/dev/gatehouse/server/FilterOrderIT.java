package dev.gatehouse.server;

import java.util.Arrays;
import java.util.List;

import dev.gatehouse.support.FilterChainOrder;
import dev.gatehouse.support.Gatehouse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

    @Test
    void noContainerFilterRunsInFrontOfTheProxysOwn() throws Exception
    {
        // Jetty's WebSocket initializer maps its upgrade filter first, for every request; the proxy
        // upgrades from its servlet and maps no endpoint, so the embedded server removes it
        // (WebSocketProxyIT shows upgrades still work)
        try (Gatehouse gatehouse = Gatehouse.start())
        {
            ServletContextHandler proxy = gatehouse.server().server().getDescendants(ServletContextHandler.class).stream()
                .filter(c -> "gatehouse-proxy".equals(c.getDisplayName()))
                .findFirst().orElseThrow();
            List<String> mapped = Arrays.stream(proxy.getServletHandler().getFilterMappings()).map(FilterMapping::getFilterName).toList();
            List<String> held = Arrays.stream(proxy.getServletHandler().getFilters()).map(FilterHolder::getName).toList();
            assertFalse(mapped.contains(WebSocketUpgradeFilter.class.getName()), "mapped: " + mapped);
            assertFalse(held.contains(WebSocketUpgradeFilter.class.getName()), "held: " + held);
            assertEquals(FilterChainOrder.expected(), mapped.subList(0, FilterChainOrder.expected().size()), "first in the chain");
        }
    }
}
