package dev.gatehouse.deploy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.config.ConfigKeys;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants of docker/k8s/ that no cluster checks for us: probes on real health endpoints of
 * the admin port, ports matching the defaults and the Service, selectors matching the pod labels,
 * the ConfigMap's properties valid, and the termination arithmetic that lets rolling updates drop
 * nothing (preStop sleep + shutdown.grace &lt; terminationGracePeriodSeconds).
 */
class KubernetesManifestsTest
{
    static final Path K8S = Path.of("docker/k8s");
    static final Map<String, JsonNode> BY_KIND = new HashMap<>();

    @BeforeAll
    static void load() throws Exception
    {
        JsonNode kustomization = Yaml.read(K8S.resolve("kustomization.yaml"));
        for (JsonNode resource : kustomization.path("resources"))
            for (JsonNode document : Yaml.readAll(K8S.resolve(resource.asText())))
                assertEquals(null, BY_KIND.put(document.path("kind").asText(), document), "one of each kind");
        for (String kind : List.of("ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"))
            assertNotNull(BY_KIND.get(kind), kind + " listed in kustomization.yaml");
        try (var files = Files.list(K8S))
        {
            long manifests = files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).count();
            assertEquals(kustomization.path("resources").size(), manifests, "every manifest is in kustomization.yaml");
        }
    }

    static JsonNode container()
    {
        return BY_KIND.get("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
    }

    static Map<String, String> properties() throws Exception
    {
        Properties p = new Properties();
        p.load(new StringReader(BY_KIND.get("ConfigMap").path("data").path("gatehouse.properties").asText()));
        Map<String, String> map = new HashMap<>();
        p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k)));
        return map;
    }

    static int containerPort(String name)
    {
        for (JsonNode port : container().path("ports"))
            if (port.path("name").asText().equals(name))
                return port.path("containerPort").asInt();
        throw new AssertionError("no container port named " + name);
    }

    @Test
    void configMapIsAValidConfigurationMountedWhereTheImageLooks() throws Exception
    {
        GatehouseConfig config = ConfigLoader.fromMap(properties());
        assertNotNull(config);
        JsonNode pod = BY_KIND.get("Deployment").path("spec").path("template").path("spec");
        String volume = null;
        for (JsonNode v : pod.path("volumes"))
            if (v.path("configMap").path("name").asText().equals(BY_KIND.get("ConfigMap").path("metadata").path("name").asText()))
                volume = v.path("name").asText();
        assertNotNull(volume, "the ConfigMap is a volume");
        boolean mounted = false;
        for (JsonNode m : container().path("volumeMounts"))
            mounted |= m.path("name").asText().equals(volume) && m.path("mountPath").asText().equals("/etc/gatehouse");
        assertTrue(mounted, "mounted over the image's /etc/gatehouse (GATEHOUSE_CONFIG=/etc/gatehouse/gatehouse.properties)");
    }

    @Test
    void portsMatchTheDefaultsAndTheConfiguration() throws Exception
    {
        Map<String, String> p = properties();
        assertEquals(Integer.parseInt(p.getOrDefault(ConfigKeys.PROXY_PORT.name(), "" + (int)ConfigKeys.PROXY_PORT.defaultValue())), containerPort("proxy"));
        assertEquals(Integer.parseInt(p.getOrDefault(ConfigKeys.ADMIN_PORT.name(), "" + (int)ConfigKeys.ADMIN_PORT.defaultValue())), containerPort("admin"));
        assertEquals((int)ConfigKeys.PROXY_PORT.defaultValue(), containerPort("proxy"));
        assertEquals((int)ConfigKeys.ADMIN_PORT.defaultValue(), containerPort("admin"));
        assertEquals("0.0.0.0", p.get(ConfigKeys.PROXY_HOST.name()), "a pod must listen on its pod IP");
        assertEquals("0.0.0.0", p.get(ConfigKeys.ADMIN_HOST.name()), "the kubelet probes the pod IP");
        assertTrue(p.get(ConfigKeys.ADMIN_ACL_ALLOW.name()).contains("private"), "probes come from the node network");
        for (JsonNode port : BY_KIND.get("Service").path("spec").path("ports"))
            containerPort(port.path("targetPort").asText());
    }

    @Test
    void probesUseTheHealthEndpointsOnTheAdminPort() throws Exception
    {
        Map<String, String> expected = Map.of("livenessProbe", "/health/liveness", "readinessProbe", "/health/readiness",
            "startupProbe", "/health/startup");
        expected.forEach((probe, path) ->
        {
            JsonNode get = container().path(probe).path("httpGet");
            assertEquals(path, get.path("path").asText(), probe);
            assertEquals("admin", get.path("port").asText(), probe + " on the admin listener");
        });
        assertHealthEndpoints(expected.values());
    }

    /** The admin listener maps HealthServlet at /health/* and the servlet answers each probe name. */
    static void assertHealthEndpoints(Collection<String> paths) throws Exception
    {
        String server = Files.readString(Path.of("src/main/java/dev/gatehouse/app/Application.java"));
        assertTrue(server.contains("addServlet(Wiring.HEALTH_SERVLET, HealthServlet.class)")
            && server.contains("addMapping(prefix + \"health/*\")") && server.contains("Deployment.WAR ? config.adminPathPrefix() : \"/\""),
            "HealthServlet at /health/*");
        String servlet = Files.readString(Path.of("src/main/java/dev/gatehouse/observe/HealthServlet.java"));
        for (String path : paths)
        {
            assertTrue(path.startsWith("/health/"), path);
            assertTrue(servlet.contains("case \"" + path.substring("/health".length()) + "\" ->"), "HealthServlet answers " + path);
        }
    }

    @Test
    void terminationLeavesTimeToDrain() throws Exception
    {
        JsonNode pod = BY_KIND.get("Deployment").path("spec").path("template").path("spec");
        long terminationGrace = pod.path("terminationGracePeriodSeconds").asLong();
        List<String> preStop = new ArrayList<>();
        container().path("lifecycle").path("preStop").path("exec").path("command").forEach(c -> preStop.add(c.asText()));
        assertEquals("sleep", preStop.get(0), "preStop sleeps so endpoints are removed before the drain starts");
        long sleep = Long.parseLong(preStop.get(1));
        long grace = Yaml.seconds(properties().getOrDefault(ConfigKeys.SHUTDOWN_GRACE.name(), ConfigKeys.SHUTDOWN_GRACE.defaultText()));
        assertTrue(sleep >= 5, "long enough for kube-proxy and load balancers to drop the endpoint: " + sleep);
        assertTrue(sleep + grace < terminationGrace,
            "preStop " + sleep + "s + shutdown.grace " + grace + "s must stay below terminationGracePeriodSeconds " + terminationGrace);
        JsonNode rolling = BY_KIND.get("Deployment").path("spec").path("strategy").path("rollingUpdate");
        assertEquals(0, rolling.path("maxUnavailable").asInt(), "a new pod is ready before an old one goes");
    }

    @Test
    void selectorsMatchThePodLabels()
    {
        JsonNode deployment = BY_KIND.get("Deployment");
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        assertMatches(labels, deployment.path("spec").path("selector").path("matchLabels"), "Deployment");
        assertMatches(labels, BY_KIND.get("Service").path("spec").path("selector"), "Service");
        assertMatches(labels, BY_KIND.get("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"), "PodDisruptionBudget");
        JsonNode target = BY_KIND.get("HorizontalPodAutoscaler").path("spec").path("scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText());
        assertEquals(deployment.path("metadata").path("name").asText(), target.path("name").asText());
    }

    private static void assertMatches(JsonNode labels, JsonNode selector, String what)
    {
        assertTrue(selector.size() > 0, what + " has a selector");
        selector.fields().forEachRemaining(e -> assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(), what + " selector " + e.getKey()));
    }

    @Test
    void autoscalesOnCpuWithinWhatTheBudgetAllows()
    {
        JsonNode hpa = BY_KIND.get("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.path("apiVersion").asText());
        JsonNode metric = hpa.path("spec").path("metrics").get(0);
        assertEquals("cpu", metric.path("resource").path("name").asText());
        assertTrue(container().path("resources").path("requests").has("cpu"), "CPU utilisation needs a CPU request");
        int minReplicas = hpa.path("spec").path("minReplicas").asInt();
        int minAvailable = BY_KIND.get("PodDisruptionBudget").path("spec").path("minAvailable").asInt();
        assertTrue(minReplicas > minAvailable, "a node drain can always evict one pod");
    }

    @Test
    void runsAsTheImagesNonRootUserOnAReadOnlyRoot()
    {
        JsonNode pod = BY_KIND.get("Deployment").path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertEquals(10001, pod.path("securityContext").path("runAsUser").asInt(), "the uid docker/Dockerfile creates");
        assertTrue(container().path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        boolean tmp = false;
        for (JsonNode m : container().path("volumeMounts"))
            tmp |= m.path("mountPath").asText().equals("/tmp");
        assertTrue(tmp, "a writable /tmp for the JVM");
        assertTrue(container().path("resources").path("limits").has("memory"));
    }
}
