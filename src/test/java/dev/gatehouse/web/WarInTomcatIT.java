package dev.gatehouse.web;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.FilterChainOrder;
import dev.gatehouse.support.Origin;
import dev.gatehouse.support.TomcatLauncher;
import dev.gatehouse.support.WebSocketOrigin;
import jakarta.annotation.Resource;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR in Tomcat 11, in a separate JVM with only Tomcat on the class path, configured
 * through {@code -Dgatehouse.config}.
 */
class WarInTomcatIT extends WarContract
{
    @TempDir
    static Path dir;
    static Process tomcat;
    /** The filters the container runs for a request the proxy servlet serves, in order. */
    static List<String> proxyChain;
    /** The container's filter mappings, as the launcher printed them. */
    static final List<FilterChainOrder.Mapping> filterMaps = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception
    {
        origin = new Origin("war-origin");
        websocketOrigin = new WebSocketOrigin();
        Path config = writeConfig(dir);
        String classPath = String.join(File.pathSeparator, List.of(
            jarOf(Tomcat.class), jarOf(Resource.class), tomcatWebSocket(), classesOf(TomcatLauncher.class)));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-Dgatehouse.config=" + config, "-cp", classPath, TomcatLauncher.class.getName(), war().toString());
        pb.redirectErrorStream(true);
        tomcat = pb.start();
        proxyPort = portOf(tomcat);
        proxyChain = FilterChainOrder.proxyChain(filterMaps);
    }

    /** Reads the launcher's {@code PORT=<n>} line (60 s at most), then keeps draining its output so it never blocks on a full pipe. */
    static int portOf(Process process) throws Exception
    {
        filterMaps.clear();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        int port = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                String line;
                while ((line = out.readLine()) != null)
                {
                    log.append(line).append('\n');
                    if (line.startsWith("FILTERMAP="))
                        filterMaps.add(FilterChainOrder.Mapping.parse(line.substring("FILTERMAP=".length())));
                    if (line.startsWith("PORT="))
                        return Integer.parseInt(line.substring(5));
                }
            }
            catch (Exception ignored)
            {
                // reported below
            }
            return -1;
        }).get(60, TimeUnit.SECONDS);
        assertTrue(port > 0, log.toString());
        CompletableFuture.runAsync(() ->
        {
            try
            {
                while (out.readLine() != null)
                {
                    // drain the container's output so it never blocks on a full pipe
                }
            }
            catch (Exception ignored)
            {
                // process ended
            }
        });
        return port;
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (tomcat != null)
        {
            tomcat.destroy();
            tomcat.waitFor(20, TimeUnit.SECONDS);
            tomcat.destroyForcibly();
        }
        origin.close();
        websocketOrigin.close();
    }

    /** Tomcat's WebSocket implementation (copied to target/it-lib by the build). */
    static String tomcatWebSocket()
    {
        Path jar = Path.of(System.getProperty("it.tomcat-websocket", "target/it-lib/tomcat-embed-websocket.jar"));
        assertTrue(Files.isRegularFile(jar), "missing " + jar);
        return jar.toString();
    }

    static String jarOf(Class<?> type) throws Exception
    {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    static String classesOf(Class<?> type) throws Exception
    {
        Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        // only the launcher: copy it alone so no other test class is visible to the webapp
        Path isolated = dir.resolve("launcher");
        Path rel = Path.of(type.getName().replace('.', '/') + ".class");
        Files.createDirectories(isolated.resolve(rel).getParent());
        Files.copy(root.resolve(rel), isolated.resolve(rel));
        return isolated.toString();
    }

    @Test
    void runsTheFiltersInTheOneOrder()
    {
        assertEquals(FilterChainOrder.expected(), proxyChain, "Tomcat's filter chain for the proxy servlet");
    }
}
