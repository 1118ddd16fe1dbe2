package dev.gatehouse.support;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.server.GatehouseServer;

/** The real embedded proxy on ephemeral ports, configured from key/value pairs. */
public final class Gatehouse implements AutoCloseable
{
    private final GatehouseServer server;

    private Gatehouse(GatehouseServer server)
    {
        this.server = server;
    }

    /**
     * Starts with the given keys on top of ports 0, proxy.id {@code gh-test} and
     * {@code ssrf.allow=loopback} (the test origins live on 127.0.0.1; SSRF tests set it back).
     */
    public static Gatehouse start(String... keyValues) throws Exception
    {
        Map<String, String> map = new HashMap<>();
        map.put("proxy.port", "0");
        map.put("admin.port", "0");
        map.put("proxy.id", "gh-test");
        map.put("ssrf.allow", "loopback");
        for (int i = 0; i < keyValues.length; i += 2)
            map.put(keyValues[i], keyValues[i + 1]);
        GatehouseConfig config = ConfigLoader.fromMap(map);
        GatehouseServer server = new GatehouseServer(config, null, () -> ConfigLoader.fromMap(map), null);
        server.start();
        return new Gatehouse(server);
    }

    public GatehouseServer server()
    {
        return server;
    }

    public int port()
    {
        return server.proxyPort();
    }

    public int tlsPort()
    {
        return server.tlsPort();
    }

    public int adminPort()
    {
        return server.adminPort();
    }

    public String url()
    {
        return "http://127.0.0.1:" + port();
    }

    public String adminUrl()
    {
        return "http://127.0.0.1:" + adminPort();
    }

    /** Begins the graceful stop on another thread (to watch the drain from this one). */
    public CompletableFuture<Void> stopAsync()
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                server.stop();
            }
            catch (Exception x)
            {
                throw new IllegalStateException(x);
            }
        });
    }

    @Override
    public void close() throws Exception
    {
        server.stop();
    }
}
