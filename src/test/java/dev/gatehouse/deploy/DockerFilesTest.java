package dev.gatehouse.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No Docker engine runs where the tests run, so this checks what can go stale without one: every
 * path and command docker/Dockerfile and docker/compose.yml name exists in the repository and the
 * build, and their ports match Gatehouse's defaults.
 */
class DockerFilesTest
{
    static final Path DOCKER = Path.of("docker");
    private static final Pattern INSTRUCTION = Pattern.compile("^([A-Z]+)\\s+(.*)$");

    /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
    static List<String[]> instructions() throws Exception
    {
        List<String[]> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile")))
        {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0))
                continue;
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued)
            {
                Matcher m = INSTRUCTION.matcher(current.toString().strip());
                assertTrue(m.matches(), "not an instruction: " + current);
                result.add(new String[]{m.group(1), m.group(2).strip()});
                current.setLength(0);
            }
        }
        return result;
    }

    /** The build context's exclusions (patterns as written, trailing slash dropped). */
    static List<String> dockerIgnored() throws Exception
    {
        return Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l).toList();
    }

    @Test
    void keepsBuildOutputOutOfTheBuildContext() throws Exception
    {
        assertTrue(dockerIgnored().contains("target"), "target/ (hundreds of MB after mvn verify) is not sent to the daemon");
    }

    static List<String> all(String instruction) throws Exception
    {
        return instructions().stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
    }

    @Test
    void copiesOnlyWhatExistsInTheRepository() throws Exception
    {
        List<String> copies = all("COPY");
        assertFalse(copies.isEmpty());
        for (String copy : copies)
        {
            if (copy.startsWith("--from="))
                continue;
            String[] parts = copy.split("\\s+");
            for (int i = 0; i < parts.length - 1; i++)
            {
                assertTrue(Files.exists(Path.of(parts[i])), "COPY source missing in the repository: " + parts[i]);
                for (String ignored : dockerIgnored())
                    assertFalse(parts[i].equals(ignored) || parts[i].startsWith(ignored + "/"), ".dockerignore hides " + parts[i]);
            }
        }
    }

    @Test
    void runsTheJarTheBuildProduces() throws Exception
    {
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<finalName>gatehouse</finalName>"), "the build names its artifact target/gatehouse.jar");
        List<String> fromBuild = all("COPY").stream().filter(c -> c.startsWith("--from=build")).toList();
        assertEquals(List.of("--from=build /src/target/gatehouse.jar /opt/gatehouse/gatehouse.jar"), fromBuild);
        String entrypoint = all("ENTRYPOINT").get(0);
        assertTrue(entrypoint.contains("exec java $JAVA_OPTS -jar /opt/gatehouse/gatehouse.jar"), entrypoint);
        // the build stage builds with the sources it copied
        assertTrue(all("RUN").contains("mvn -q -B -DskipTests package"));
        assertTrue(all("USER").equals(List.of("10001")), "runs as the non-root user");
    }

    @Test
    void exposesTheDefaultPorts() throws Exception
    {
        Set<Integer> exposed = new TreeSet<>();
        for (String expose : all("EXPOSE"))
            for (String port : expose.split("\\s+"))
                exposed.add(Integer.parseInt(port));
        Set<Integer> expected = new TreeSet<>(Set.of((int)ConfigKeys.PROXY_PORT.defaultValue(), (int)ConfigKeys.ADMIN_PORT.defaultValue(), tlsPort()));
        assertEquals(expected, exposed);
    }

    /** The TLS listener's default port, as declared in ConfigKeys. */
    static int tlsPort()
    {
        return ConfigKeys.TLS_PORT.defaultValue();
    }

    @Test
    void healthCheckProbesTheLivenessEndpointOfTheAdminListener() throws Exception
    {
        String check = all("HEALTHCHECK").get(0);
        assertTrue(check.contains("dev.gatehouse.server.HealthProbe"), check);
        assertTrue(Files.isRegularFile(Path.of("src/main/java/dev/gatehouse/server/HealthProbe.java")));
        assertTrue(check.contains("\"-cp\", \"/opt/gatehouse/gatehouse.jar\""), check);
        assertTrue(check.contains("\"http://127.0.0.1:" + (int)ConfigKeys.ADMIN_PORT.defaultValue() + "/health/liveness\""), check);
        KubernetesManifestsTest.assertHealthEndpoints(List.of("/health/liveness"));
    }

    @Test
    void configuresThroughTheMountedFileAndEnvironment() throws Exception
    {
        String env = String.join(" ", all("ENV"));
        assertTrue(env.contains(ConfigLoader.ENV_CONFIG + "=/etc/gatehouse/gatehouse.properties"), env);
        assertTrue(all("COPY").contains("etc/gatehouse.properties /etc/gatehouse/gatehouse.properties"));
        for (String key : List.of(ConfigKeys.PROXY_HOST.name(), ConfigKeys.ADMIN_HOST.name(), ConfigKeys.FORWARD_ENABLED.name(), ConfigKeys.CONNECT_ENABLED.name(),
            ConfigKeys.ADMIN_ACL_ALLOW.name()))
            assertTrue(env.contains(ConfigLoader.envName(key) + "="), key);
        assertTrue(env.contains("-XX:MaxRAMPercentage=") && env.contains("-XX:+ExitOnOutOfMemoryError"), env);
    }

    @Test
    void composeNamesFilesThatExistAndTheDefaultPorts() throws Exception
    {
        JsonNode compose = Yaml.read(DOCKER.resolve("compose.yml"));
        JsonNode services = compose.path("services");
        for (String service : List.of("gatehouse", "origin", "redis", "prometheus", "grafana"))
            assertTrue(services.has(service), "compose service " + service);
        services.fields().forEachRemaining(service ->
        {
            for (JsonNode volume : service.getValue().path("volumes"))
            {
                String source = volume.asText().split(":")[0];
                assertTrue(Files.exists(DOCKER.resolve(source)), service.getKey() + " mounts a missing file: " + source);
            }
        });
        JsonNode gatehouse = services.path("gatehouse");
        assertEquals("docker/Dockerfile", gatehouse.path("build").path("dockerfile").asText());
        assertTrue(Files.isRegularFile(DOCKER.resolve(gatehouse.path("build").path("context").asText()).resolve("pom.xml")));
        List<String> ports = new ArrayList<>();
        gatehouse.path("ports").forEach(p -> ports.add(p.asText()));
        assertTrue(ports.contains((int)ConfigKeys.PROXY_PORT.defaultValue() + ":" + (int)ConfigKeys.PROXY_PORT.defaultValue()), ports.toString());
        assertTrue(ports.stream().anyMatch(p -> p.endsWith((int)ConfigKeys.ADMIN_PORT.defaultValue() + ":" + (int)ConfigKeys.ADMIN_PORT.defaultValue())), ports.toString());
        JsonNode env = gatehouse.path("environment");
        assertEquals("redis", env.path("GATEHOUSE_RATELIMIT_BACKEND").asText());
        assertEquals("redis://redis:6379", env.path("GATEHOUSE_RATELIMIT_REDIS_URI").asText());
        // every variable names a configuration key (Gatehouse would ignore a misspelt one with a warning);
        // the Redis rate-limit keys are defined by the shared rate-limit feature and accepted by name
        Set<String> known = new TreeSet<>();
        ConfigKeys.defaults().keySet().forEach(k -> known.add(ConfigLoader.envName(k)));
        known.addAll(List.of(ConfigLoader.envName("ratelimit.backend"), ConfigLoader.envName("ratelimit.redis.uri")));
        env.fieldNames().forEachRemaining(name -> assertTrue(known.contains(name), "compose sets an unknown key: " + name));
        assertTrue(Yaml.seconds(gatehouse.path("stop_grace_period").asText()) > Yaml.seconds(
            ConfigLoader.readFile(DOCKER.resolve("gatehouse.properties")).getOrDefault(ConfigKeys.SHUTDOWN_GRACE.name(), ConfigKeys.SHUTDOWN_GRACE.defaultText())),
            "docker stop must wait longer than the drain");
    }

    @Test
    void composeConfigurationIsValid() throws Exception
    {
        // the mounted file loads (unknown keys and bad values fail here, not in a container)
        ConfigLoader.fromMap(ConfigLoader.readFile(DOCKER.resolve("gatehouse.properties")));
    }

    @Test
    void prometheusScrapesTheAdminListenerAndGrafanaIsProvisioned() throws Exception
    {
        JsonNode prometheus = Yaml.read(DOCKER.resolve("prometheus.yml"));
        JsonNode job = prometheus.path("scrape_configs").get(0);
        assertEquals("/metrics", job.path("metrics_path").asText());
        assertEquals("gatehouse:" + (int)ConfigKeys.ADMIN_PORT.defaultValue(), job.path("static_configs").get(0).path("targets").get(0).asText());
        for (JsonNode rules : prometheus.path("rule_files"))
            assertTrue(Files.isRegularFile(DOCKER.resolve(rules.asText())), rules.asText());
        JsonNode datasource = Yaml.read(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml")).path("datasources").get(0);
        assertEquals("http://prometheus:9090", datasource.path("url").asText());
        JsonNode provider = Yaml.read(DOCKER.resolve("grafana/provisioning/dashboards/gatehouse.yml")).path("providers").get(0);
        String dashboards = provider.path("options").path("path").asText();
        JsonNode grafana = Yaml.read(DOCKER.resolve("compose.yml")).path("services").path("grafana");
        boolean mounted = false;
        for (JsonNode volume : grafana.path("volumes"))
            mounted |= volume.asText().startsWith("./grafana-dashboard.json:" + dashboards + "/");
        assertTrue(mounted, "the dashboard is mounted where the provider looks");
        // provisioned dashboards get no import dialog: ${DS_PROMETHEUS} must resolve as a variable
        JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana-dashboard.json").toFile());
        boolean variable = false;
        for (JsonNode v : dashboard.path("templating").path("list"))
            variable |= v.path("name").asText().equals("DS_PROMETHEUS") && v.path("type").asText().equals("datasource");
        assertTrue(variable, "a datasource variable named DS_PROMETHEUS");
    }
}
