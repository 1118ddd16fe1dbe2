package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, source precedence and the environment mapping. Validation failures are in {@link ConfigLoaderValidationTest}. */
class ConfigLoaderTest
{
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private GatehouseConfig load(Path file, Map<String, String> env, Map<String, String> sysprops, Map<String, String> cli)
    {
        return ConfigLoader.load(file, env, sysprops, cli, warnings::add);
    }

    private Path file(String content) throws IOException
    {
        Path f = dir.resolve("gatehouse.properties");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void defaultsBindProxyAndAdminToLoopback()
    {
        GatehouseConfig c = ConfigLoader.fromMap(Map.of());
        assertEquals("127.0.0.1", c.proxyHost());
        assertEquals(8080, c.proxyPort());
        assertEquals("127.0.0.1", c.adminHost());
        assertEquals(9090, c.adminPort());
        assertEquals("/_gatehouse/", c.adminPathPrefix());
    }

    @Test
    void defaultsEnableForwardAndConnectToPort443Only()
    {
        GatehouseConfig c = GatehouseConfig.defaults();
        assertTrue(c.forwardEnabled());
        assertTrue(c.connectEnabled());
        assertEquals(Set.of(443), c.connectAllowedPorts());
        assertTrue(c.routes().isEmpty());
    }

    @Test
    void defaultTimeoutsAreConnectFiveIdleThirtyNoTotalAndGraceThirty()
    {
        GatehouseConfig c = GatehouseConfig.defaults();
        assertEquals(Duration.ofSeconds(5), c.connectTimeout());
        assertEquals(Duration.ofSeconds(30), c.idleTimeout());
        assertEquals(Duration.ZERO, c.requestTimeout(), "no whole-exchange cap by default");
        assertEquals(Duration.ofSeconds(30), c.shutdownGrace());
        assertEquals(200, c.maxThreads());
        assertEquals(8, c.minThreads());
        assertEquals(2048, c.upstreamMaxConnections());
    }

    @Test
    void unsetProxyIdIsRandomOncePerProcessSoReloadsKeepIt()
    {
        String a = GatehouseConfig.defaults().proxyId();
        String b = GatehouseConfig.defaults().proxyId();
        assertTrue(a.matches("[0-9a-z]{8}"), a);
        assertEquals(a, b, "a reload must not change the instance identity");
        assertNotEquals(a, ConfigLoader.randomId(), "ids are random");
    }

    @Test
    void generatedProxyIdIsVisibleInResolvedValues()
    {
        GatehouseConfig c = GatehouseConfig.defaults();
        assertEquals(c.proxyId(), c.values().get(ConfigKeys.PROXY_ID.name()));
    }

    @Test
    void configuredProxyIdIsKept()
    {
        assertEquals("edge-1.a_b", ConfigLoader.fromMap(Map.of("proxy.id", "edge-1.a_b")).proxyId());
    }

    @Test
    void commandLineBeatsSystemPropertiesEnvironmentAndFile() throws IOException
    {
        GatehouseConfig c = load(file("proxy.port=1001\n"), Map.of("GATEHOUSE_PROXY_PORT", "1002"),
            Map.of("gatehouse.proxy.port", "1003"), Map.of("proxy.port", "1004"));
        assertEquals(1004, c.proxyPort());
    }

    @Test
    void systemPropertyBeatsEnvironmentAndFile() throws IOException
    {
        GatehouseConfig c = load(file("proxy.port=1001\n"), Map.of("GATEHOUSE_PROXY_PORT", "1002"),
            Map.of("gatehouse.proxy.port", "1003"), Map.of());
        assertEquals(1003, c.proxyPort());
    }

    @Test
    void environmentBeatsFile() throws IOException
    {
        GatehouseConfig c = load(file("proxy.port=1001\n"), Map.of("GATEHOUSE_PROXY_PORT", "1002"), Map.of(), Map.of());
        assertEquals(1002, c.proxyPort());
    }

    @Test
    void fileBeatsDefaults() throws IOException
    {
        GatehouseConfig c = load(file("proxy.port=1001\nadmin.port = 1005 \n"), Map.of(), Map.of(), Map.of());
        assertEquals(1001, c.proxyPort());
        assertEquals(1005, c.adminPort());
        assertEquals(ConfigKeys.PROXY_HOST.defaultText(), c.proxyHost());
    }

    @Test
    void sourcesCombineKeyByKey() throws IOException
    {
        GatehouseConfig c = load(file("proxy.port=1001\nadmin.port=2001\nproxy.id=fromfile\n"),
            Map.of("GATEHOUSE_ADMIN_PORT", "2002"), Map.of("gatehouse.proxy.id", "fromsys"), Map.of());
        assertEquals(1001, c.proxyPort());
        assertEquals(2002, c.adminPort());
        assertEquals("fromsys", c.proxyId());
    }

    @Test
    void systemPropertiesWithoutPrefixAndTheConfigPropertyAreIgnored()
    {
        Map<String, String> sysprops = Map.of("java.version", "17", "user.dir", "/x",
            "gatehouse.config", "/nowhere.properties", "gatehouse.admin.port", "9191");
        GatehouseConfig c = load(null, Map.of(), sysprops, Map.of());
        assertEquals(9191, c.adminPort());
        assertFalse(c.values().containsKey("config"));
    }

    @Test
    void environmentNamesMapDotsAndDashesToUnderscores()
    {
        assertEquals("GATEHOUSE_PROXY_PORT", ConfigLoader.envName("proxy.port"));
        assertEquals("GATEHOUSE_CONNECT_ALLOWED_PORTS", ConfigLoader.envName("connect.allowed-ports"));
        assertEquals("GATEHOUSE_ROUTES_API_MATCH_PATH", ConfigLoader.envName("routes.api.match.path"));
    }

    @Test
    void environmentSetsDashedKeys()
    {
        GatehouseConfig c = load(null, Map.of("GATEHOUSE_CONNECT_ALLOWED_PORTS", "443, 8443",
            "GATEHOUSE_ADMIN_PATH_PREFIX", "/_admin/"), Map.of(), Map.of());
        assertEquals(Set.of(443, 8443), c.connectAllowedPorts());
        assertEquals("/_admin/", c.adminPathPrefix());
    }

    @Test
    void environmentMapsRouteKeysForRoutesListedInEnvironment()
    {
        GatehouseConfig c = load(null, Map.of("GATEHOUSE_ROUTES", "api",
            "GATEHOUSE_ROUTES_API_TARGETS", "http://backend:8081",
            "GATEHOUSE_ROUTES_API_MATCH_PATH", "/api/",
            "GATEHOUSE_ROUTES_API_STRIP_PREFIX", "true",
            "GATEHOUSE_ROUTES_API_PRESERVE_HOST", "true"), Map.of(), Map.of());
        assertEquals(1, c.routes().size());
        RouteConfig r = c.routes().get(0);
        assertEquals("api", r.name());
        assertEquals(List.of(URI.create("http://backend:8081")), r.targets());
        assertEquals("/api/", r.matchPath());
        assertTrue(r.stripPrefix());
        assertTrue(r.preserveHost());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void environmentMapsRouteKeysForRoutesListedOnCommandLineOrInFile() throws IOException
    {
        GatehouseConfig fromCli = load(null, Map.of("GATEHOUSE_ROUTES_WEB_TARGETS", "http://w"), Map.of(),
            Map.of("routes", "web"));
        assertEquals(URI.create("http://w"), fromCli.routes().get(0).targets().get(0));

        GatehouseConfig fromFile = load(file("routes=api\n"), Map.of("GATEHOUSE_ROUTES_API_TARGETS", "http://a"),
            Map.of(), Map.of());
        assertEquals(URI.create("http://a"), fromFile.routes().get(0).targets().get(0));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void environmentMapsMatchHeaderToLowerCaseDashedHeaderName()
    {
        GatehouseConfig c = load(null, Map.of("GATEHOUSE_ROUTES", "api",
            "GATEHOUSE_ROUTES_API_TARGETS", "http://a",
            "GATEHOUSE_ROUTES_API_MATCH_HEADER_X_TENANT", "acme"), Map.of(), Map.of());
        assertEquals(Map.of("x-tenant", "acme"), c.routes().get(0).matchHeaders());
        assertEquals("acme", c.values().get("routes.api.match.header.x-tenant"));
    }

    @Test
    void routeEnvironmentVariableOfUnlistedRouteIsOnlyWarnedAbout()
    {
        GatehouseConfig c = load(null, Map.of("GATEHOUSE_ROUTES_OTHER_TARGETS", "http://o"), Map.of(), Map.of());
        assertTrue(c.routes().isEmpty());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("GATEHOUSE_ROUTES_OTHER_TARGETS"), warnings.get(0));
    }

    @Test
    void unknownGatehouseEnvironmentVariablesAreWarnedAboutByName()
    {
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_PORT", "tcp://10.0.0.1:8080");
        env.put("GATEHOUSE_SERVICE_HOST", "10.0.0.1");
        env.put("GATEHOUSE_PROXY_PROT", "1");
        GatehouseConfig c = load(null, env, Map.of(), Map.of());
        assertEquals(8080, c.proxyPort());
        assertEquals(3, warnings.size(), warnings.toString());
        for (String name : env.keySet())
            assertTrue(warnings.stream().anyMatch(w -> w.contains(name)), name + " not in " + warnings);
    }

    @Test
    void otherEnvironmentVariablesAndGatehouseConfigAreIgnoredSilently()
    {
        GatehouseConfig c = load(null, Map.of("PATH", "/usr/bin", "HOME", "/root", "PROXY_PORT", "1",
            "GATEHOUSE_CONFIG", "/does/not/exist.properties"), Map.of(), Map.of());
        assertEquals(8080, c.proxyPort());
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertFalse(c.values().containsKey("config"));
    }

    @Test
    void fileRouteKeysAndValuesAreTrimmed() throws IOException
    {
        GatehouseConfig c = load(file("""
            routes = api , web
            routes.api.targets = http://a:1/ , https://b/base/
            routes.api.match.path = /api/
            routes.web.targets = http://w
            """), Map.of(), Map.of(), Map.of());
        assertEquals(List.of("api", "web"), c.routes().stream().map(RouteConfig::name).toList());
        assertEquals(List.of(URI.create("http://a:1"), URI.create("https://b/base")), c.routes().get(0).targets());
        assertNull(c.routes().get(1).matchPath());
    }

    @Test
    void matchHeaderPrecedenceDoesNotDependOnHeaderNameCase() throws IOException
    {
        // The same header condition, spelled X-Tenant in the file and on the command line and
        // x-tenant by the environment mapping: the command line must still win.
        GatehouseConfig c = load(file("routes=api\nroutes.api.targets=http://a\nroutes.api.match.header.X-Tenant=file\n"),
            Map.of("GATEHOUSE_ROUTES_API_MATCH_HEADER_X_TENANT", "env"), Map.of(),
            Map.of("routes.api.match.header.X-Tenant", "cli"));
        assertEquals(Map.of("x-tenant", "cli"), c.routes().get(0).matchHeaders());
    }

    @Test
    void matchHostIsStoredLowerCase()
    {
        GatehouseConfig c = ConfigLoader.fromMap(Map.of("routes", "a", "routes.a.targets", "http://t",
            "routes.a.match.host", "*.Example.COM"));
        assertEquals("*.example.com", c.routes().get(0).matchHost());
    }

    @Test
    void splitListDropsBlanksAndTrims()
    {
        assertEquals(List.of("a", "b"), ConfigLoader.splitList(" a, ,b ,"));
        assertTrue(ConfigLoader.splitList(null).isEmpty());
        assertTrue(ConfigLoader.splitList("  ").isEmpty());
    }

    @Test
    void adminProfilingIsReadFromItsKey()
    {
        assertFalse(GatehouseConfig.defaults().adminProfiling());
        assertTrue(ConfigLoader.fromMap(Map.of("admin.profiling", "TRUE", "admin.token", "t")).adminProfiling());
    }
}
