package dev.gatehouse.server;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Gatehouse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container image's HEALTHCHECK: the probe class, run from the packaged jar as Docker runs it. */
class HealthProbeIT
{
    @Test
    void exitsZeroWhenLivenessAnswersAndOneOtherwise() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            String live = "http://127.0.0.1:" + proxy.adminPort() + "/health/liveness";
            assertEquals(200, HealthProbe.probe(live, 2000));
            assertEquals(0, runProbe(live));
            assertEquals(1, runProbe("http://127.0.0.1:" + proxy.adminPort() + "/health/nothing"), "404 is unhealthy");
        }
        try (ServerSocket closed = new ServerSocket(0))
        {
            int port = closed.getLocalPort();
            closed.close();
            assertEquals(-1, HealthProbe.probe("http://127.0.0.1:" + port + "/health/liveness", 2000));
        }
    }

    /** {@code java -cp gatehouse.jar dev.gatehouse.server.HealthProbe URL}, as docker/Dockerfile's HEALTHCHECK does. */
    private static int runProbe(String url) throws Exception
    {
        Path jar = Path.of(System.getProperty("it.jar", "target/gatehouse.jar"));
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m",
            "-XX:TieredStopAtLevel=1", "-cp", jar.toString(), HealthProbe.class.getName(), url).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
