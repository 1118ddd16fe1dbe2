package dev.gatehouse.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.support.Origin;
import dev.gatehouse.support.WebSocketOrigin;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR in a standalone Tomcat distribution (downloaded from Maven Central by the build
 * into target/dist), installed the way docs/deployment.md tells users: its own CATALINA_BASE,
 * {@code webapps/ROOT.war}, {@code -Dgatehouse.config} in CATALINA_OPTS, and
 * {@code encodedSolidusHandling="passthrough"} on the connector. Started with
 * {@code catalina.sh run}; the WAR is hot-deployed into the running server, checked against the
 * {@link WarContract}, and finally hot-undeployed: Tomcat's own leak detection must find nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class TomcatDistribution extends WarContract
{
    static ContainerProcess tomcat;
    static Path base;
    static Map<String, Integer> threadsBeforeDeploy;

    static void start(String homeProperty, String name) throws Exception
    {
        Path home = Path.of(System.getProperty(homeProperty, "target/dist/" + name));
        assertTrue(Files.isRegularFile(home.resolve("bin/catalina.sh")), "run 'mvn verify': the build unpacks " + home);
        origin = new Origin("war-origin");
        websocketOrigin = new WebSocketOrigin();
        base = ContainerProcess.freshDirectory(Path.of("target/it-containers", name).toAbsolutePath());
        Path config = writeConfig(base);
        ContainerProcess.copyTree(home.resolve("conf"), base.resolve("conf"));
        for (String dir : List.of("logs", "temp", "webapps", "work"))
            Files.createDirectories(base.resolve(dir));
        proxyPort = ContainerProcess.freePort();
        Path serverXml = base.resolve("conf/server.xml");
        String xml = Files.readString(serverXml);
        xml = replace(xml, "<Server port=\"8005\"", "<Server port=\"-1\"");
        xml = replace(xml, "<Connector port=\"8080\" protocol=\"HTTP/1.1\"", "<Connector port=\"" + proxyPort
            + "\" address=\"127.0.0.1\" encodedSolidusHandling=\"passthrough\" protocol=\"HTTP/1.1\"");
        // hot (un)deployment checks every second instead of every ten
        xml = replace(xml, "<Engine name=\"Catalina\" defaultHost=\"localhost\">",
            "<Engine name=\"Catalina\" defaultHost=\"localhost\" backgroundProcessorDelay=\"1\">");
        Files.writeString(serverXml, xml);
        Map<String, String> env = Map.of(
            "CATALINA_HOME", home.toAbsolutePath().toString(),
            "CATALINA_BASE", base.toString(),
            "JAVA_HOME", System.getProperty("java.home"),
            "JRE_HOME", System.getProperty("java.home"),
            "CATALINA_OPTS", "-Xmx256m -Dgatehouse.config=" + config,
            "JAVA_OPTS", "");
        tomcat = ContainerProcess.start(base, base.resolve("logs/console.log"), env,
            List.of("sh", home.resolve("bin/catalina.sh").toAbsolutePath().toString(), "run"));
        tomcat.awaitLog("Server startup in", 0, Duration.ofSeconds(45));
        threadsBeforeDeploy = tomcat.threads();
        ContainerProcess.deploy(war(), base.resolve("webapps"), "ROOT.war");
        tomcat.await("deployed", Duration.ofSeconds(45), () -> ContainerProcess.status(proxyPort, "/_gatehouse/health/readiness") == 200);
    }

    static void stop() throws Exception
    {
        try
        {
            if (tomcat != null)
                tomcat.close();
        }
        finally
        {
            origin.close();
            websocketOrigin.close();
        }
    }

    private static String replace(String xml, String from, String to)
    {
        assertTrue(xml.contains(from), "server.xml lacks " + from);
        return xml.replace(from, to);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void undeploysWithoutLeakingThreadsOrClassLoaders() throws Exception
    {
        int from = tomcat.log().length();
        Files.delete(base.resolve("webapps/ROOT.war"));
        tomcat.awaitLog("HostConfig.undeploy Undeploying context", from, Duration.ofSeconds(30));
        tomcat.await("undeployed", Duration.ofSeconds(30), () -> ContainerProcess.status(proxyPort, "/_gatehouse/health/liveness") == 404);
        Map<String, Integer> leftOver = tomcat.leftOverAfter(threadsBeforeDeploy, List.of("http-nio-"), Duration.ofSeconds(10));
        // a clean stop (SIGTERM) flushes the log; the webapp is gone, so anything reported is from the undeploy
        tomcat.stop(Duration.ofSeconds(30));
        String undeployLog = tomcat.log().substring(from);
        assertEquals(List.of(), ContainerProcess.leakWarnings(undeployLog), undeployLog);
        assertEquals(Map.of(), leftOver, "threads the webapp left behind");
    }
}
