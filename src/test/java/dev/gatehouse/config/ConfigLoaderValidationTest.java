package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every invalid configuration fails with a ConfigException naming the key and the bad value. */
class ConfigLoaderValidationTest
{
    /** Builds a map from key/value pairs, keeping their order. */
    private static Map<String, String> map(String... kv)
    {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** Asserts the configuration is rejected for {@code key}, with a message quoting {@code value}. */
    private static ConfigException rejected(String key, String value, String... kv)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> ConfigLoader.fromMap(map(kv)));
        assertEquals(key, x.key(), x.getMessage());
        assertTrue(x.getMessage().contains(key), x.getMessage());
        if (value != null)
            assertTrue(x.getMessage().contains("'" + value + "'"), x.getMessage());
        return x;
    }

    @Test
    void rejectsUnknownKeyNamingIt()
    {
        ConfigException x = rejected("cache.size", null, "cache.size", "10");
        assertTrue(x.getMessage().contains("unknown configuration key 'cache.size'"), x.getMessage());
        assertTrue(!x.getMessage().contains("did you mean"), x.getMessage());
    }

    @Test
    void unknownKeyCloseToAKnownOneGetsDidYouMeanHint()
    {
        ConfigException x = rejected("proxy.prot", null, "proxy.prot", "8181");
        assertTrue(x.getMessage().contains("'proxy.prot'"), x.getMessage());
        assertTrue(x.getMessage().contains("did you mean 'proxy.port'"), x.getMessage());
    }

    @Test
    void rateLimitsTakeDecimalRatesDownToOnePerThousandSeconds()
    {
        assertEquals(0.5, ConfigLoader.fromMap(map("ratelimit.requests-per-second", "0.5")).policy().rateLimitRps());
        rejected("ratelimit.requests-per-second", "0.0001", "ratelimit.requests-per-second", "0.0001");
        rejected("ratelimit.requests-per-second", "-1", "ratelimit.requests-per-second", "-1");
        rejected("ratelimit.requests-per-second", "fast", "ratelimit.requests-per-second", "fast");
        rejected("routes.api.ratelimit.requests-per-second", "NaN", "routes", "api", "routes.api.targets", "http://a",
            "routes.api.ratelimit.requests-per-second", "NaN");
    }

    @Test
    void rejectsUnknownRouteSuffix()
    {
        rejected("routes.api.target", null, "routes", "api", "routes.api.target", "http://a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x", "not-a-url", "http://a/?q=1", "http://a/#frag", "http://user@a/", "http:///path", "http://a b/"})
    void rejectsBadTargetUrlNamingKeyAndValue(String url)
    {
        rejected("routes.api.targets", url, "routes", "api", "routes.api.targets", url);
    }

    @Test
    void rejectsBadTargetAmongGoodOnes()
    {
        rejected("routes.api.targets", "ftp://b", "routes", "api", "routes.api.targets", "http://a, ftp://b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "-1s", "s", "1.5s", ""})
    void rejectsBadDurationNamingKeyAndValue(String value)
    {
        rejected("timeouts.connect", value, "timeouts.connect", value);
        rejected("shutdown.grace", value, "shutdown.grace", value);
    }

    @Test
    void rejectsZeroConnectAndIdleTimeoutButAllowsZeroGrace()
    {
        rejected("timeouts.connect", "0s", "timeouts.connect", "0s");
        rejected("timeouts.idle", "0ms", "timeouts.idle", "0ms");
        assertTrue(ConfigLoader.fromMap(map("shutdown.grace", "0s")).shutdownGrace().isZero());
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "65536", "-1", "abc", "", "80.5"})
    void rejectsPortOutOfRangeNamingKeyAndValue(String port)
    {
        rejected("proxy.port", port, "proxy.port", port);
        rejected("admin.port", port, "admin.port", port);
    }

    @Test
    void acceptsPortZeroAndMaximum()
    {
        GatehouseConfig c = ConfigLoader.fromMap(map("proxy.port", "0", "admin.port", "65535"));
        assertEquals(0, c.proxyPort());
        assertEquals(65535, c.adminPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "abc"})
    void rejectsBadConnectAllowedPort(String port)
    {
        rejected("connect.allowed-ports", port, "connect.allowed-ports", "443, " + port);
    }

    @Test
    void rejectsRouteListedWithoutTargets()
    {
        ConfigException x = rejected("routes.api.targets", null, "routes", "api", "routes.api.match.path", "/api/");
        assertTrue(x.getMessage().contains("'api'"), x.getMessage());
        rejected("routes.api.targets", ",", "routes", "api", "routes.api.targets", " , ");
    }

    @Test
    void rejectsRouteKeyForRouteNotListed()
    {
        ConfigException x = rejected("routes.web.targets", null, "routes", "api", "routes.api.targets", "http://a",
            "routes.web.targets", "http://w");
        assertTrue(x.getMessage().contains("'web'"), x.getMessage());
        rejected("routes.web.match.path", null, "routes.web.match.path", "/w/");
    }

    @Test
    void rejectsDuplicateRouteName()
    {
        rejected("routes", "api", "routes", "api, web, api", "routes.api.targets", "http://a", "routes.web.targets", "http://w");
    }

    @Test
    void rejectsMalformedRouteName()
    {
        rejected("routes", "a.b", "routes", "a.b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on", "tru"})
    void rejectsBadBooleanNamingKeyAndValue(String value)
    {
        rejected("forward.enabled", value, "forward.enabled", value);
        rejected("connect.enabled", value, "connect.enabled", value);
        rejected("routes.api.preserve-host", value, "routes", "api", "routes.api.targets", "http://a",
            "routes.api.preserve-host", value);
    }

    @Test
    void booleansAreCaseInsensitive()
    {
        GatehouseConfig c = ConfigLoader.fromMap(map("forward.enabled", "FALSE", "connect.enabled", "False"));
        assertTrue(!c.forwardEnabled() && !c.connectEnabled());
    }

    @Test
    void rejectsStripPrefixWithoutMatchPath()
    {
        rejected("routes.api.strip-prefix", "true", "routes", "api", "routes.api.targets", "http://a",
            "routes.api.strip-prefix", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api/", "api", "/api?x", "/api#x"})
    void rejectsMatchPathNotAPathPrefix(String path)
    {
        rejected("routes.api.match.path", path, "routes", "api", "routes.api.targets", "http://a",
            "routes.api.match.path", path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "*.", "a/b", "*example.com"})
    void rejectsBadMatchHost(String host)
    {
        rejected("routes.api.match.host", host, "routes", "api", "routes.api.targets", "http://a",
            "routes.api.match.host", host);
    }

    @Test
    void rejectsInvalidMatchHeaderName()
    {
        rejected("routes.api.match.header.x tenant", null, "routes", "api", "routes.api.targets", "http://a",
            "routes.api.match.header.x tenant", "acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_gatehouse", "_gatehouse/", "/", "/a*/"})
    void rejectsAdminPathPrefixNotStartingAndEndingWithSlash(String prefix)
    {
        rejected("admin.path-prefix", prefix, "admin.path-prefix", prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*.example.com", "bad host"})
    void rejectsBadListenHost(String host)
    {
        rejected("proxy.host", host, "proxy.host", host);
        rejected("admin.host", host, "admin.host", host);
    }

    @Test
    void acceptsIpv6ListenHost()
    {
        assertEquals("[::1]", ConfigLoader.fromMap(map("proxy.host", "[::1]")).proxyHost());
    }

    @Test
    void rejectsMinThreadsAboveMaxThreads()
    {
        ConfigException x = rejected("server.min-threads", "50", "server.max-threads", "20", "server.min-threads", "50");
        assertTrue(x.getMessage().contains("20"), x.getMessage());
        GatehouseConfig ok = ConfigLoader.fromMap(map("server.max-threads", "20", "server.min-threads", "20"));
        assertEquals(20, ok.minThreads());
    }

    @Test
    void rejectsBadProxyId()
    {
        rejected("proxy.id", "a b", "proxy.id", "a b");
        rejected("proxy.id", "x".repeat(65), "proxy.id", "x".repeat(65));
    }

    @Test
    void rejectsMissingConfigFileNamingIt(@TempDir Path dir)
    {
        Path missing = dir.resolve("missing.properties");
        ConfigException x = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(missing, Map.of(), Map.of(), Map.of(), w -> { }));
        assertTrue(x.getMessage().contains(missing.toString()), x.getMessage());
    }

    @Test
    void rejectsUnknownKeyFromAnySourceButEnvironment()
    {
        assertThrows(ConfigException.class,
            () -> ConfigLoader.load(null, Map.of(), Map.of("gatehouse.proxy.prot", "1"), Map.of(), w -> { }));
        ConfigException x = assertThrows(ConfigException.class,
            () -> ConfigLoader.load(null, Map.of(), Map.of(), Map.of("proxy.prot", "1"), w -> { }));
        assertEquals("proxy.prot", x.key());
    }

    @Test
    void longBadValueIsShortenedAndNewlinesEscapedInMessage()
    {
        ConfigException x = rejected("proxy.port", null, "proxy.port", "1\n2");
        assertTrue(x.getMessage().contains("'1\\n2'"), x.getMessage());
        assertTrue(!x.getMessage().contains("\n"), x.getMessage());
        ConfigException y = rejected("proxy.port", null, "proxy.port", "9".repeat(500));
        assertTrue(y.getMessage().length() < 400, y.getMessage());
    }
}
