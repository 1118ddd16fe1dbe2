package dev.gatehouse.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JettyXmlIT
{
    @TempDir
    Path dir;

    @Test
    void externalJettyXmlReplacesTheBundledOneAndReadsTheSameKeys() throws Exception
    {
        Path xml = dir.resolve("my-jetty.xml");
        Files.writeString(xml, Files.readString(Path.of("etc/jetty.xml")).replace("<Set name=\"name\">gatehouse</Set>",
            "<Set name=\"name\">custom-pool</Set>"));
        GatehouseConfig config = ConfigLoader.fromMap(Map.of("proxy.port", "0", "admin.port", "0", "server.max-threads", "64"));
        GatehouseServer server = new GatehouseServer(config, xml);
        server.start();
        try
        {
            QueuedThreadPool pool = (QueuedThreadPool)server.server().getThreadPool();
            assertEquals("custom-pool", pool.getName());
            assertEquals(64, pool.getMaxThreads(), "server.max-threads reaches the file through <Property>");
            assertTrue(server.proxyPort() > 0 && server.adminPort() > 0);
        }
        finally
        {
            server.stop();
        }
    }

    @Test
    void missingJettyXmlIsAConfigurationError()
    {
        GatehouseConfig config = ConfigLoader.fromMap(Map.of("proxy.port", "0", "admin.port", "0"));
        ConfigException x = assertThrows(ConfigException.class, () -> new GatehouseServer(config, dir.resolve("nope.xml")));
        assertTrue(x.getMessage().contains("--jetty-xml") && x.getMessage().contains("nope.xml"), x.getMessage());
    }
}
