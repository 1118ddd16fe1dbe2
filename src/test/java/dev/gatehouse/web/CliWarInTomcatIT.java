package dev.gatehouse.web;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Http;
import dev.gatehouse.support.TomcatLauncher;
import jakarta.annotation.Resource;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI in the WAR, deployed in Tomcat 11 (its own JVM): output streams live there too. */
class CliWarInTomcatIT
{
    @TempDir
    static Path dir;
    static Process tomcat;
    static int port;

    @BeforeAll
    static void start() throws Exception
    {
        Path wait = dir.resolve("wait-for.sh");
        Files.writeString(wait, "#!/bin/sh\necho first\nwhile [ ! -e \"$1\" ]; do sleep 0.02; done\necho done\n");
        Files.setPosixFilePermissions(wait, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("gatehouse-cli-war.properties");
        Files.writeString(config, String.join("\n", "proxy.id=war-cli", "cli.enabled=true",
            "cli.commands.wait.path=" + wait, "cli.commands.cat.path=/bin/cat", ""));
        Path launcher = dir.resolve("launcher");
        Path rel = Path.of(TomcatLauncher.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(launcher.resolve(rel).getParent());
        Files.copy(Path.of(TomcatLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(rel), launcher.resolve(rel));
        String classPath = String.join(File.pathSeparator, List.of(WarInTomcatIT.jarOf(Tomcat.class),
            WarInTomcatIT.jarOf(Resource.class), launcher.toString()));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-Dgatehouse.config=" + config, "-cp", classPath, TomcatLauncher.class.getName(), WarContract.war().toString());
        pb.redirectErrorStream(true);
        tomcat = pb.start();
        port = WarInTomcatIT.portOf(tomcat);
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
    }

    @Test
    void streamsOutputBeforeTheProcessExits() throws Exception
    {
        Path latch = dir.resolve("latch");
        HttpClient client = Http.direct();
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cli/execute"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"wait\",\"args\":[\"" + latch + "\"]}")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals("application/x-ndjson", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)))
        {
            assertTrue(lines.readLine().startsWith("{\"type\":\"start\",\"run_id\":"));
            // the program waits for the latch: this line cannot come from its exit
            assertEquals("{\"type\":\"stdout\",\"data\":\"first\\n\"}", lines.readLine());
            Files.createFile(latch);
            assertEquals("{\"type\":\"stdout\",\"data\":\"done\\n\"}", lines.readLine());
            assertTrue(lines.readLine().startsWith("{\"type\":\"exit\",\"code\":0,"));
        }
    }

    @Test
    void nonStreamingAndStdinWorkToo() throws Exception
    {
        HttpResponse<String> r = Http.direct().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cli/execute"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"cat\",\"stdin\":\"in the war\",\"stream\":false}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"stdout\":\"in the war\""), r.body());
    }
}
