package dev.gatehouse.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.support.Origin;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR in a standalone Jetty 12 base with only {@code http,ee10-deploy}: no Jakarta
 * WebSocket in the container. It deploys and proxies HTTP; an upgrade on a WebSocket route answers
 * the JSON 501 naming the module to enable, and start-up says so once in the log.
 */
class JettyBaseWithoutWebSocketIT
{
    static ContainerProcess jetty;
    static Origin origin;
    static int port;

    @BeforeAll
    static void start() throws Exception
    {
        Path home = Path.of(System.getProperty("it.jetty.home", "target/dist/jetty-home-12.1.5")).toAbsolutePath();
        assertTrue(Files.isRegularFile(home.resolve("start.jar")), "run 'mvn verify': the build unpacks " + home);
        origin = new Origin("bare-base-origin");
        Path base = ContainerProcess.freshDirectory(Path.of("target/it-containers/jetty-base-bare").toAbsolutePath());
        Path config = base.resolve("gatehouse.properties");
        Files.writeString(config, String.join("\n",
            "proxy.id=bare-base",
            "routes=api,ws",
            "routes.api.match.path=/api/",
            "routes.api.strip-prefix=true",
            "routes.api.targets=" + origin.url(),
            "routes.ws.match.path=/ws/",
            "routes.ws.targets=" + origin.url(), ""));
        ContainerProcess.run(base, base.resolve("logs/add-modules.log"), List.of(ContainerProcess.java(), "-jar", home.resolve("start.jar").toString(),
            "jetty.home=" + home, "jetty.base=" + base, "--add-modules=http,ee10-deploy"), Duration.ofSeconds(60));
        port = ContainerProcess.freePort();
        Files.writeString(base.resolve("start.d/gatehouse.ini"), "jetty.http.host=127.0.0.1\njetty.http.port=" + port + "\n");
        Files.createDirectories(base.resolve("webapps"));
        Files.copy(WarContract.war(), base.resolve("webapps/ROOT.war"));
        jetty = ContainerProcess.start(base, base.resolve("logs/console.log"), Map.of(), List.of(ContainerProcess.java(), "-Xmx256m",
            "-Dgatehouse.config=" + config, "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base));
        jetty.awaitLog("Started oejs.Server", 0, Duration.ofSeconds(45));
        jetty.await("deployed", Duration.ofSeconds(45), () -> ContainerProcess.status(port, "/_gatehouse/health/readiness") == 200);
    }

    @AfterAll
    static void stop() throws Exception
    {
        // null resources are skipped: whatever started is stopped
        try (ContainerProcess container = jetty; Origin upstream = origin)
        {
            jetty = null;
        }
    }

    @Test
    void deploysAndProxiesHttp() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(port, "GET /api/items?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, reply.status(), reply.headers() + " " + reply.body() + "\n" + jetty.log());
        assertTrue(reply.body().startsWith("GET /items?x=1\n"), reply.body());
        assertEquals("bare-base", reply.header("X-Proxy-ID"));
    }

    @Test
    void answersAWebSocketUpgradeWithJson501NamingTheModule() throws Exception
    {
        RawHttp.Reply reply = RawHttp.exchange(port, "GET /ws/chat HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertEquals(501, reply.status(), reply.headers() + " " + reply.body());
        assertEquals("application/json", reply.header("Content-Type"));
        assertTrue(reply.body().contains("\"code\":\"NOT_IMPLEMENTED\""), reply.body());
        assertTrue(reply.body().contains("ee10-websocket-jakarta"), reply.body());
        List<String> lines = jetty.log().lines().filter(l -> l.contains("ee10-websocket-jakarta")).toList();
        assertEquals(1, lines.size(), "one start-up line names the module:\n" + jetty.log());
    }
}
