package dev.gatehouse.support;

import java.io.File;
import java.nio.file.Files;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Runs a WAR as ROOT in embedded Tomcat, in its own JVM whose class path holds nothing but
 * Tomcat and this class: whatever the webapp needs must come from the WAR itself.
 * Prints {@code PORT=<n>} once started.
 */
public final class TomcatLauncher
{
    private TomcatLauncher()
    {
    }

    public static void main(String[] args) throws Exception
    {
        File war = new File(args[0]).getAbsoluteFile();
        File base = Files.createTempDirectory("gatehouse-tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getPath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        // a proxy must pass %2F through untouched
        connector.setEncodedSolidusHandling("passthrough");
        tomcat.setConnector(connector);
        tomcat.getHost().setAppBase(base.getPath());
        tomcat.addWebapp("", war.getPath());
        tomcat.start();
        // the filter mappings, in the container's order, for the filter-order check
        for (FilterMap map : ((Context)tomcat.getHost().findChild("")).findFilterMaps())
        {
            System.out.println("FILTERMAP=" + map.getFilterName() + "|" + String.join(",", map.getURLPatterns()) + "|"
                + String.join(",", map.getServletNames()) + "|" + String.join(",", map.getDispatcherNames()));
        }
        System.out.println("PORT=" + connector.getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
    }
}
