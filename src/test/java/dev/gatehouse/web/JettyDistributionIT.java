package dev.gatehouse.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.gatehouse.support.EchoServer;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import dev.gatehouse.support.WebSocketOrigin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR in a standalone Jetty 12 distribution (jetty-home from Maven Central, unpacked by
 * the build into target/dist), in a Jetty base set up as docs/deployment.md tells users:
 * {@code --add-modules=http,ee10-deploy,ee10-websocket-jakarta,gatehouse-connect}, the WAR in
 * {@code wars/} deployed by {@code webapps/ROOT.xml}, {@code -Dgatehouse.config}. The
 * gatehouse-connect module (etc/jetty-base, libraries from target/jetty-module/lib) adds CONNECT
 * at server level, configured by a file of its own (tunnels need proxy authentication there). The
 * WAR is hot-deployed and finally hot-undeployed by the deployment scanner
 * (adding and removing the one context file, so the scanner never sees half a deployment).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JettyDistributionIT extends WarContract
{
    static ContainerProcess jetty;
    static Path base;
    static EchoServer echo;
    static int closedPort;
    static Map<String, Integer> threadsBeforeDeploy;

    @BeforeAll
    static void start() throws Exception
    {
        Path home = Path.of(System.getProperty("it.jetty.home", "target/dist/jetty-home-12.1.5")).toAbsolutePath();
        assertTrue(Files.isRegularFile(home.resolve("start.jar")), "run 'mvn verify': the build unpacks " + home);
        Path moduleLib = Path.of(System.getProperty("it.jetty-module", "target/jetty-module")).resolve("lib");
        assertTrue(Files.isDirectory(moduleLib), "run 'mvn package' first: " + moduleLib);
        origin = new Origin("war-origin");
        websocketOrigin = new WebSocketOrigin();
        echo = new EchoServer();
        base = ContainerProcess.freshDirectory(Path.of("target/it-containers/jetty-base").toAbsolutePath());
        Path config = writeConfig(base);
        closedPort = ContainerProcess.freePort();
        Path users = base.resolve("tunnel-users");
        Files.writeString(users, "alice:{SHA256}" + Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest("secret".getBytes(StandardCharsets.UTF_8))) + "\n");
        Path connectConfig = base.resolve("gatehouse-connect.properties");
        Files.writeString(connectConfig, String.join("\n",
            "proxy.id=jetty-connect",
            "ssrf.allow=loopback",
            "connect.allowed-ports=443," + echo.port() + "," + closedPort,
            "auth.users-file=" + users,
            "auth.realm=tunnels", ""));

        // what a user does: copy the module, its libraries, and enable the modules
        ContainerProcess.copyTree(Path.of("etc/jetty-base"), base);
        ContainerProcess.copyTree(moduleLib, base.resolve("lib/gatehouse"));
        ContainerProcess.run(base, base.resolve("logs/add-modules.log"), List.of(ContainerProcess.java(), "-jar", home.resolve("start.jar").toString(),
            "jetty.home=" + home, "jetty.base=" + base,
            "--add-modules=http,ee10-deploy,ee10-websocket-jakarta,gatehouse-connect"), Duration.ofSeconds(60));
        proxyPort = ContainerProcess.freePort();
        Files.writeString(base.resolve("start.d/gatehouse.ini"), String.join("\n",
            "jetty.http.host=127.0.0.1",
            "jetty.http.port=" + proxyPort,
            "jetty.httpConfig.uriCompliance=DEFAULT,AMBIGUOUS_PATH_SEPARATOR,AMBIGUOUS_PATH_ENCODING",
            "jetty.deploy.scanInterval=1",
            "gatehouse.config=" + connectConfig, ""));
        Files.createDirectories(base.resolve("wars"));
        Files.copy(war(), base.resolve("wars/gatehouse.war"));
        Path context = base.resolve("ROOT.xml");
        Files.writeString(context, rootXml());

        jetty = ContainerProcess.start(base, base.resolve("logs/console.log"), Map.of(), List.of(ContainerProcess.java(), "-Xmx256m",
            "-Dgatehouse.config=" + config, "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base));
        jetty.awaitLog("Started oejs.Server", 0, Duration.ofSeconds(45));
        assertTrue(jetty.log().contains("Gatehouse CONNECT handler jetty-connect installed at server level"), jetty.log());
        threadsBeforeDeploy = jetty.threads();
        Files.move(context, base.resolve("webapps/ROOT.xml"), StandardCopyOption.ATOMIC_MOVE);
        jetty.await("deployed", Duration.ofSeconds(45), () -> ContainerProcess.status(proxyPort, "/_gatehouse/health/readiness") == 200);
    }

    /** The context file docs/deployment.md gives users (ambiguous URIs such as %2F reach the proxy). */
    static String rootXml()
    {
        return """
            <?xml version="1.0"?>
            <!DOCTYPE Configure PUBLIC "-//Jetty//Configure//EN" "https://jetty.org/configure_10_0.dtd">
            <Configure class="org.eclipse.jetty.ee10.webapp.WebAppContext">
              <Set name="contextPath">/</Set>
              <Set name="war"><Property name="jetty.base"/>/wars/gatehouse.war</Set>
              <Get name="servletHandler"><Set name="decodeAmbiguousURIs">true</Set></Get>
            </Configure>
            """;
    }

    @AfterAll
    static void stop() throws Exception
    {
        try
        {
            if (jetty != null)
                jetty.close();
        }
        finally
        {
            origin.close();
            websocketOrigin.close();
            echo.close();
        }
    }

    private static final String CREDENTIALS = "Proxy-Authorization: Basic "
        + java.util.Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)) + "\r\n";

    private static RawHttp.Reply connect(String authority) throws Exception
    {
        return RawHttp.exchange(proxyPort, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + CREDENTIALS + "\r\n");
    }

    @Test
    void tunnelsConnectThroughTheServerLevelModule() throws Exception
    {
        try (Socket socket = new Socket("127.0.0.1", proxyPort))
        {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String authority = "127.0.0.1:" + echo.port();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n" + CREDENTIALS + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Reply reply = RawHttp.read(in, false);
            assertEquals(200, reply.status(), String.valueOf(reply.headers()));
            byte[] payload = new byte[100_000];
            new java.util.Random(7).nextBytes(payload);
            out.write(payload);
            out.flush();
            assertArrayEquals(payload, in.readNBytes(payload.length), "an opaque byte pipe");
        }
    }

    @Test
    void asksForProxyCredentialsBeforeOpeningATunnel() throws Exception
    {
        String authority = "127.0.0.1:" + echo.port();
        RawHttp.Reply reply = RawHttp.exchange(proxyPort, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        assertEquals(407, reply.status(), reply.body());
        assertEquals("Basic realm=\"tunnels\", charset=\"UTF-8\"", reply.header("Proxy-Authenticate"));
        assertTrue(reply.body().contains("\"code\":\"PROXY_AUTH_REQUIRED\""), reply.body());
    }

    @Test
    void refusesConnectToAPortNotAllowed() throws Exception
    {
        RawHttp.Reply reply = connect("127.0.0.1:25");
        assertEquals(403, reply.status(), reply.body());
        assertEquals("application/json", reply.header("Content-Type"));
        assertTrue(reply.body().contains("\"code\":\"DESTINATION_FORBIDDEN\""), reply.body());
    }

    @Test
    void answersAnUnreachableTunnelDestinationWith502() throws Exception
    {
        RawHttp.Reply reply = connect("127.0.0.1:" + closedPort);
        assertEquals(502, reply.status(), reply.body());
        assertTrue(reply.body().contains("\"code\":\"UPSTREAM_UNAVAILABLE\""), reply.body());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void undeploysWithoutLeakingThreads() throws Exception
    {
        int from = jetty.log().length();
        Files.delete(base.resolve("webapps/ROOT.xml"));
        jetty.await("undeployed", Duration.ofSeconds(30), () -> ContainerProcess.status(proxyPort, "/_gatehouse/health/liveness") == 404);
        Map<String, Integer> leftOver = jetty.leftOverAfter(threadsBeforeDeploy, List.of("qtp"), Duration.ofSeconds(10));
        jetty.stop(Duration.ofSeconds(30));
        String undeployLog = jetty.log().substring(from);
        assertEquals(List.of(), ContainerProcess.leakWarnings(undeployLog), undeployLog);
        assertEquals(Map.of(), leftOver, "threads the webapp left behind");
        try (Stream<String> lines = undeployLog.lines())
        {
            assertTrue(lines.noneMatch(l -> l.contains("WARN") && l.contains("dev.gatehouse")), undeployLog);
        }
    }
}
