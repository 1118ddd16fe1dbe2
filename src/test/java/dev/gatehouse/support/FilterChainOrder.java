package dev.gatehouse.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.app.Application;
import dev.gatehouse.web.Wiring;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The filters a container runs, in order, for a request the proxy servlet serves: computed from
 * the container's own filter mappings as the servlet specification orders a chain (the path
 * mappings that match, in declaration order, then the mappings by servlet name). The containers'
 * own filters (their WebSocket upgrade filters) are left out: only Gatehouse's filters count.
 */
public final class FilterChainOrder
{
    /** A path no local endpoint claims, so the proxy servlet serves it. */
    static final String PROXIED_PATH = "/filter-order/probe";

    /** One filter mapping as a container holds it. */
    public record Mapping(String filter, List<String> urlPatterns, List<String> servletNames, List<String> dispatches)
    {
        /** {@code name|/a,/b|servlet1,servlet2|REQUEST,ASYNC}: the launcher's {@code FILTERMAP=} line. */
        public static Mapping parse(String line)
        {
            String[] parts = line.split("\\|", -1);
            return new Mapping(parts[0], split(parts[1]), split(parts[2]), split(parts[3]));
        }

        private static List<String> split(String list)
        {
            return list.isEmpty() ? List.of() : Arrays.asList(list.split(","));
        }
    }

    private FilterChainOrder()
    {
    }

    /** The one order every deployment must show: {@link Application#PROXY_FILTERS}. */
    public static List<String> expected()
    {
        return Application.PROXY_FILTERS.stream().map(Application.ChainFilter::name).toList();
    }

    /** The REQUEST chain of the proxy servlet for {@link #PROXIED_PATH}, Gatehouse's filters only. */
    public static List<String> proxyChain(List<Mapping> mappings)
    {
        List<String> chain = new ArrayList<>();
        List<String> ours = new ArrayList<>(expected());
        ours.add(Wiring.ADMIN_ACCESS_FILTER);
        ours.add(Wiring.LOCAL_ENDPOINT_FILTER);
        mappings = mappings.stream().filter(m -> ours.contains(m.filter())).toList();
        for (Mapping m : mappings)
        {
            if (m.dispatches().contains("REQUEST") && m.urlPatterns().stream().anyMatch(FilterChainOrder::matchesProxiedPath))
                chain.add(m.filter());
        }
        for (Mapping m : mappings)
        {
            if (m.dispatches().contains("REQUEST") && m.servletNames().contains("proxy"))
                chain.add(m.filter());
        }
        return chain;
    }

    /** The same, from a Jetty servlet context (embedded, or a WebAppContext). */
    public static List<String> proxyChain(ServletContextHandler context)
    {
        List<Mapping> mappings = new ArrayList<>();
        for (FilterMapping m : context.getServletHandler().getFilterMappings())
        {
            mappings.add(new Mapping(m.getFilterName(), list(m.getPathSpecs()), list(m.getServletNames()),
                m.appliesTo(DispatcherType.REQUEST) ? List.of("REQUEST") : List.of()));
        }
        return proxyChain(mappings);
    }

    private static List<String> list(String[] values)
    {
        return values == null ? List.of() : Arrays.asList(values);
    }

    private static boolean matchesProxiedPath(String pattern)
    {
        if (pattern.equals("/*") || pattern.equals(PROXIED_PATH))
            return true;
        return pattern.endsWith("/*") && PROXIED_PATH.startsWith(pattern.substring(0, pattern.length() - 1));
    }
}
