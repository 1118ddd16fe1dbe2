package dev.gatehouse.web;

import java.nio.file.Path;
import java.util.List;

import dev.gatehouse.support.FilterChainOrder;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.WebSocketOrigin;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The built WAR in a Jetty 12 ee10 {@link WebAppContext}. Jetty hides its own classes from
 * webapps, so the proxy, client and util classes must come from the WAR. Configured through the
 * {@code gatehouse.config} context parameter.
 */
class WarInJettyIT extends WarContract
{
    @TempDir
    static Path dir;
    static Server server;
    /** The filters the container runs for a request the proxy servlet serves, in order. */
    static List<String> proxyChain;

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("war-origin");
        websocketOrigin = new WebSocketOrigin();
        Path config = writeConfig(dir);
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.from("DEFAULT,AMBIGUOUS_PATH_SEPARATOR,AMBIGUOUS_PATH_ENCODING"));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war().toString());
        webapp.setTempDirectory(dir.resolve("work").toFile());
        webapp.setInitParameter("gatehouse.config", config.toString());
        webapp.getServletHandler().setDecodeAmbiguousURIs(true);
        webapp.setThrowUnavailableOnStartupException(true);
        // WebSocket installed in the container, as the ee10-websocket-jakarta module does in a Jetty base
        JakartaWebSocketServletContainerInitializer.configure(webapp, null);
        server.setHandler(webapp);
        server.start();
        proxyPort = connector.getLocalPort();
        proxyChain = FilterChainOrder.proxyChain(webapp);
    }

    @AfterAll
    static void stop() throws Exception
    {
        server.stop();
        origin.close();
        websocketOrigin.close();
    }

    @Test
    void runsTheFiltersInTheOneOrder()
    {
        assertEquals(FilterChainOrder.expected(), proxyChain, "Jetty's filter chain for the proxy servlet");
    }
}
