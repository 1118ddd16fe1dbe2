package dev.gatehouse.web;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.gatehouse.support.AdminSurface;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built WAR in Jetty: the same admin paths and protection as embedded, under {@code admin.path-prefix}. */
class AdminSurfaceWarIT
{
    @TempDir
    Path dir;

    /** Deploys the WAR with these extra properties and runs {@code check} against its admin root. */
    void withWar(String extra, Check check) throws Exception
    {
        Path config = dir.resolve("gatehouse-war.properties");
        Files.writeString(config, "proxy.id=war-admin\nadmin.token=" + AdminSurface.TOKEN + "\n" + extra);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(WarContract.war().toString());
        webapp.setTempDirectory(dir.resolve("work").toFile());
        webapp.setInitParameter("gatehouse.config", config.toString());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        try
        {
            check.run("http://127.0.0.1:" + connector.getLocalPort() + "/_gatehouse/");
        }
        finally
        {
            server.stop();
        }
    }

    interface Check
    {
        void run(String adminRoot) throws Exception;
    }

    @Test
    void everyAdminPathHasItsProtectionWithProfilingOff() throws Exception
    {
        withWar("", root -> AdminSurface.checkAllowedClient(root, false));
    }

    @Test
    void profilerIsAnAdminActionWithABoundedDurationWhenOn() throws Exception
    {
        withWar("admin.profiling=true\n", root -> AdminSurface.checkAllowedClient(root, true));
    }

    @Test
    void clientsOutsideTheAdminAclGetNothing() throws Exception
    {
        withWar("admin.profiling=true\nadmin.acl.allow=10.0.0.0/8\n", AdminSurface::checkDeniedClient);
    }
}
