package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliConfigsTest
{
    @TempDir
    Path dir;

    @Test
    void defaultsAreSecure()
    {
        CliConfig cli = GatehouseConfig.defaults().cli();
        assertFalse(cli.enabled());
        assertTrue(cli.commands().isEmpty());
        assertEquals("/cli/", cli.pathPrefix());
        assertEquals(10, cli.maxConcurrent());
        assertEquals(0, cli.queue());
        assertEquals(Duration.ofSeconds(60), cli.timeout());
        assertEquals(128L << 20, cli.maxMemory());
        assertEquals(List.of("loopback"), cli.aclAllow());
        assertEquals("", cli.token());
    }

    @Test
    void perCommandLimitsOverrideTheGlobalOnes()
    {
        CliConfig cli = load("cli.enabled", "true", "cli.timeout", "30s", "cli.commands.py.path", "/bin/echo",
            "cli.commands.py.timeout", "5s", "cli.commands.py.max-output", "1KB", "cli.commands.py.max-memory", "0",
            "cli.commands.py.working-dir", dir.toString(), "cli.commands.other.path", "/bin/cat").cli();
        CliConfig.Command py = cli.commands().get("py");
        assertEquals(Duration.ofSeconds(5), py.timeout());
        assertEquals(1024, py.maxOutput());
        assertEquals(0, py.maxMemory());
        assertEquals(dir, py.workingDir());
        assertNull(py.argsPattern());
        assertEquals(Duration.ofSeconds(30), cli.commands().get("other").timeout());
    }

    @Test
    void browserRulesTakeOriginsAndHostNamesCaseInsensitively()
    {
        CliConfig cli = load("cli.allowed-origins", "https://Ops.Example.com, http://localhost:3000",
            "cli.allowed-hosts", "Gatehouse.Internal,[::1]").cli();
        assertEquals(Set.of("https://ops.example.com", "http://localhost:3000"), cli.allowedOrigins());
        assertEquals(Set.of("gatehouse.internal", "[::1]"), cli.allowedHosts());
        assertTrue(GatehouseConfig.defaults().cli().allowedOrigins().isEmpty());
        assertTrue(GatehouseConfig.defaults().cli().allowedHosts().isEmpty());
        assertMessage("cli.allowed-origins must list origins like https://ops.example.com or http://localhost:3000, but was 'ops.example.com'",
            "cli.allowed-origins", "ops.example.com");
        assertMessage("cli.allowed-origins must list origins like https://ops.example.com or http://localhost:3000, but was 'https://a.test/path'",
            "cli.allowed-origins", "https://a.test/path");
        assertMessage("cli.allowed-hosts must list host names or addresses without a port, but was 'a.test:8080'",
            "cli.allowed-hosts", "a.test:8080");
    }

    @Test
    void failsFastNamingTheKeyAndValue() throws Exception
    {
        Path notExecutable = Files.writeString(dir.resolve("plain.txt"), "x");
        assertMessage("cli.commands.a.path must be an absolute path, but was 'bin/echo'", "cli.commands.a.path", "bin/echo");
        assertMessage("cli.commands.a.path must name an existing executable file, but was '/no/such/program'",
            "cli.enabled", "true", "cli.commands.a.path", "/no/such/program");
        assertMessage("cli.commands.a.path must name an existing executable file, but was '" + notExecutable + "'",
            "cli.enabled", "true", "cli.commands.a.path", notExecutable.toString());
        assertThrows(ConfigException.class, () -> load("cli.commands.a.path", "/bin/echo", "cli.commands.a.args-pattern", "[a-"))
            .getMessage().startsWith("cli.commands.a.args-pattern must be a valid regular expression");
        assertEquals("cli.commands.a.args-pattern", assertThrows(ConfigException.class,
            () -> load("cli.commands.a.path", "/bin/echo", "cli.commands.a.args-pattern", "[a-")).key());
        assertEquals("cli.commands.a.path", assertThrows(ConfigException.class, () -> load("cli.commands.a.timeout", "5s")).key());
        assertEquals("cli.max-concurrent", assertThrows(ConfigException.class, () -> load("cli.max-concurrent", "0")).key());
        assertEquals("cli.timeout", assertThrows(ConfigException.class, () -> load("cli.timeout", "0s")).key());
        assertEquals("cli.path-prefix", assertThrows(ConfigException.class, () -> load("cli.path-prefix", "cli")).key());
        assertEquals("cli.env.allowed", assertThrows(ConfigException.class, () -> load("cli.env.allowed", "A-B")).key());
        assertEquals("cli.working-dir", assertThrows(ConfigException.class, () -> load("cli.working-dir", "relative")).key());
    }

    @Test
    void unknownPerCommandKeysAreRejected()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> load("cli.commands.a.path", "/bin/echo", "cli.commands.a.shell", "true"));
        assertTrue(x.getMessage().startsWith("unknown configuration key 'cli.commands.a.shell'"), x.getMessage());
        assertThrows(ConfigException.class, () -> load("cli.commands.a.b.path", "/bin/echo"));
    }

    private void assertMessage(String message, String... kv)
    {
        assertEquals(message, assertThrows(ConfigException.class, () -> load(kv)).getMessage());
    }

    private static GatehouseConfig load(String... kv)
    {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2)
            map.put(kv[i], kv[i + 1]);
        return ConfigLoader.fromMap(map);
    }
}
