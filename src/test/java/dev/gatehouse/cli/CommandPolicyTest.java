package dev.gatehouse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.config.CliConfig;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.http.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandPolicyTest
{
    private final CliConfig config = ConfigLoader.fromMap(Map.of(
        "cli.env.allowed", "CUSTOM_VAR",
        "cli.working-dir", "/tmp",
        "cli.commands.echo.path", "/bin/echo",
        "cli.commands.echo.timeout", "10s",
        "cli.commands.letters.path", "/bin/echo",
        "cli.commands.letters.args-pattern", "[a-z]+")).cli();
    private final CommandPolicy policy = new CommandPolicy(config);

    @Test
    void findsCommandsByNameOrExactPath() throws Exception
    {
        assertEquals("echo", policy.check("echo", List.of(), Map.of(), null).command().name());
        assertEquals("/bin/echo", policy.check("/bin/echo", List.of(), Map.of(), null).command().path().toString());
        for (String undeclared : List.of("sh", "/bin/sh", "/bin//echo", "/bin/../bin/echo", "Echo", ""))
            assertEquals(ErrorCode.CLI_COMMAND_NOT_ALLOWED, assertThrows(CliRejection.class,
                () -> policy.check(undeclared, List.of(), Map.of(), null)).code(), undeclared);
    }

    @Test
    void everyArgumentMustMatchThePatternEntirely() throws Exception
    {
        policy.check("letters", List.of("abc", "x"), Map.of(), null);
        for (String bad : List.of("abc1", "a b", "", "abc\n"))
            assertEquals(ErrorCode.CLI_COMMAND_NOT_ALLOWED, assertThrows(CliRejection.class,
                () -> policy.check("letters", List.of("ok", bad), Map.of(), null)).code(), bad);
    }

    @Test
    void refusesNulInArguments()
    {
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(CliRejection.class,
            () -> policy.check("echo", List.of("a\0b"), Map.of(), null)).code());
    }

    @Test
    void onlyAllowedEnvironmentVariables() throws Exception
    {
        assertEquals(Map.of("CUSTOM_VAR", "v"), policy.check("echo", List.of(), Map.of("CUSTOM_VAR", "v"), null).env());
        for (String name : List.of("PATH", "LD_PRELOAD", "custom_var", "HOME"))
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(CliRejection.class,
                () -> policy.check("echo", List.of(), Map.of(name, "x"), null)).code(), name);
    }

    @Test
    void minimalEnvironmentWithHomeAtTheWorkingDirectory() throws Exception
    {
        Map<String, String> env = CommandPolicy.environment(policy.check("echo", List.of(), Map.of("CUSTOM_VAR", "v"), null));
        assertEquals(Map.of("PATH", CommandPolicy.CHILD_PATH, "LANG", "C.UTF-8", "HOME", "/tmp", "CUSTOM_VAR", "v"), env);
    }

    @Test
    void requestMayShortenButNotLengthenTheTimeout() throws Exception
    {
        assertEquals(Duration.ofSeconds(10), policy.check("echo", List.of(), Map.of(), null).timeout());
        assertEquals(Duration.ofSeconds(2), policy.check("echo", List.of(), Map.of(), Duration.ofSeconds(2)).timeout());
        assertEquals(Duration.ofSeconds(10), policy.check("echo", List.of(), Map.of(), Duration.ofHours(2)).timeout());
        assertEquals(Duration.ofSeconds(60), policy.check("letters", List.of(), Map.of(), null).timeout(), "the global cli.timeout");
        assertThrows(CliRejection.class, () -> policy.check("echo", List.of(), Map.of(), Duration.ZERO));
    }

    @Test
    void redactsArgumentsForTheAuditLog()
    {
        assertEquals("--password=*** user token=*** plain", policy.redact(List.of("--password=hunter2", "user", "token=abc", "plain")));
    }

    @Test
    void argumentVectorWrapsWithPrlimitOnlyWhenLimited() throws Exception
    {
        CommandPolicy.Invocation limited = policy.check("echo", List.of("-n", "x"), Map.of(), null);
        assertEquals(List.of("/usr/bin/prlimit", "--as=" + (128L << 20), "--", "/bin/echo", "-n", "x"),
            ProcessRunner.commandLine(limited, Path.of("/usr/bin/prlimit"), null));
        assertEquals(List.of("/usr/bin/setsid", "/usr/bin/prlimit", "--as=" + (128L << 20), "--", "/bin/echo", "-n", "x"),
            ProcessRunner.commandLine(limited, Path.of("/usr/bin/prlimit"), Path.of("/usr/bin/setsid")));
        CliConfig unlimited = ConfigLoader.fromMap(Map.of("cli.max-memory-per-process", "0", "cli.max-cpu-seconds", "5",
            "cli.commands.echo.path", "/bin/echo", "cli.commands.echo.max-cpu-seconds", "0")).cli();
        CommandPolicy.Invocation plain = new CommandPolicy(unlimited).check("echo", List.of("x"), Map.of(), null);
        assertEquals(List.of("/bin/echo", "x"), ProcessRunner.commandLine(plain, null, null));
        CliConfig cpu = ConfigLoader.fromMap(Map.of("cli.max-memory-per-process", "0", "cli.max-cpu-seconds", "5",
            "cli.commands.echo.path", "/bin/echo")).cli();
        assertEquals(List.of("/usr/bin/prlimit", "--cpu=5:6", "--", "/bin/echo"), ProcessRunner.commandLine(
            new CommandPolicy(cpu).check("echo", List.of(), Map.of(), null), Path.of("/usr/bin/prlimit"), null));
    }
}
