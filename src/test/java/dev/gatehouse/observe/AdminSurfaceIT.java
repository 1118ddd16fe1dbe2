package dev.gatehouse.observe;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.support.AdminSurface;
import dev.gatehouse.support.Gatehouse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The embedded admin listener: every path and its protection; the profiler off unless configured. */
class AdminSurfaceIT
{
    @Test
    void everyAdminPathHasItsProtectionWithProfilingOff() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("admin.token", AdminSurface.TOKEN))
        {
            AdminSurface.checkAllowedClient(proxy.adminUrl() + "/", false);
        }
    }

    @Test
    void profilerIsAnAdminActionWithABoundedDurationWhenOn() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("admin.token", AdminSurface.TOKEN, "admin.profiling", "true"))
        {
            AdminSurface.checkAllowedClient(proxy.adminUrl() + "/", true);
        }
    }

    @Test
    void clientsOutsideTheAdminAclGetNothing() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("admin.token", AdminSurface.TOKEN, "admin.profiling", "true",
            "admin.acl.allow", "10.0.0.0/8"))
        {
            AdminSurface.checkDeniedClient(proxy.adminUrl() + "/");
        }
    }

    @Test
    void profilingWithoutATokenIsInvalid()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> Gatehouse.start("admin.profiling", "true"));
        assertEquals("admin.profiling", x.key());
    }

    @Test
    void theListCoversEveryMappingOfTheAdminContext() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            ServletContextHandler admin = proxy.server().server().getDescendants(ServletContextHandler.class).stream()
                .filter(c -> "gatehouse-admin".equals(c.getDisplayName())).findFirst().orElseThrow();
            Set<String> mapped = new TreeSet<>();
            for (ServletMapping m : admin.getServletHandler().getServletMappings())
                mapped.addAll(Arrays.asList(m.getPathSpecs()));
            // each mapping and the listed paths that reach it
            Set<String> covered = new TreeSet<>(Set.of("/health/*", "/metrics", "/", "/admin/*", "/admin/cache", "/admin/cache/*",
                "/admin/reload", "/admin/pprof"));
            assertEquals(covered, mapped, "a new admin mapping needs its row in AdminSurface.ENDPOINTS");
        }
    }
}
