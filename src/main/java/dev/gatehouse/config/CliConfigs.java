package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the {@code cli.*} keys into a {@link CliConfig}, failing fast on anything a run could trip over later. */
final class CliConfigs
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private CliConfigs()
    {
    }

    static CliConfig from(Map<String, String> values)
    {
        boolean enabled = ConfigLoader.bool(values, ConfigKeys.CLI_ENABLED);
        String prefix = values.get(ConfigKeys.CLI_PATH_PREFIX);
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.length() < 3 || prefix.contains("*") || prefix.contains("?"))
            throw ConfigException.invalid(ConfigKeys.CLI_PATH_PREFIX, "must be a path like /cli/ (starting and ending with /)", prefix);
        Set<String> env = new LinkedHashSet<>();
        for (String name : ConfigLoader.splitList(values.get(ConfigKeys.CLI_ENV_ALLOWED)))
        {
            if (!ENV_NAME.matcher(name).matches())
                throw ConfigException.invalid(ConfigKeys.CLI_ENV_ALLOWED, "must list environment variable names", name);
            env.add(name);
        }
        Path workingDir = directory(ConfigKeys.CLI_WORKING_DIR, values.get(ConfigKeys.CLI_WORKING_DIR), enabled);
        Duration timeout = Durations.positive(ConfigKeys.CLI_TIMEOUT, values.get(ConfigKeys.CLI_TIMEOUT));
        Duration killGrace = Durations.positive(ConfigKeys.CLI_KILL_GRACE, values.get(ConfigKeys.CLI_KILL_GRACE));
        long maxOutput = positiveSize(ConfigKeys.CLI_MAX_OUTPUT, values.get(ConfigKeys.CLI_MAX_OUTPUT));
        long maxMemory = Sizes.parse(ConfigKeys.CLI_MAX_MEMORY, values.get(ConfigKeys.CLI_MAX_MEMORY));
        int maxCpu = ConfigLoader.intIn(values, ConfigKeys.CLI_MAX_CPU_SECONDS, 0, 1_000_000);
        List<Pattern> redact = new java.util.ArrayList<>();
        for (String p : ConfigLoader.splitList(values.get(ConfigKeys.CLI_REDACT_ARGS)))
            redact.add(regex(ConfigKeys.CLI_REDACT_ARGS, p));
        Map<String, CliConfig.Command> commands = new LinkedHashMap<>();
        for (String name : commandNames(values))
            commands.put(name, command(values, name, enabled, workingDir, timeout, maxOutput, maxMemory, maxCpu));
        return new CliConfig(enabled, prefix, env, workingDir,
            ConfigLoader.intIn(values, ConfigKeys.CLI_MAX_CONCURRENT, 1, 10_000),
            ConfigLoader.intIn(values, ConfigKeys.CLI_QUEUE, 0, 100_000),
            timeout, killGrace, maxOutput, maxMemory, maxCpu, values.get(ConfigKeys.CLI_TOKEN),
            ConfigLoader.splitList(values.get(ConfigKeys.CLI_ACL_ALLOW)), redact,
            positiveSize(ConfigKeys.CLI_RETAIN_BYTES, values.get(ConfigKeys.CLI_RETAIN_BYTES)),
            Durations.parse(ConfigKeys.CLI_RETAIN_FOR, values.get(ConfigKeys.CLI_RETAIN_FOR)),
            commands, origins(values), hosts(values));
    }

    /** {@code cli.allowed-origins}: serialized origins as browsers send them, compared case-insensitively. */
    private static Set<String> origins(Map<String, String> values)
    {
        return lowerCaseList(values, ConfigKeys.CLI_ALLOWED_ORIGINS, ORIGIN, "must list origins like https://ops.example.com or http://localhost:3000");
    }

    /** {@code cli.allowed-hosts}: host names without port. */
    private static Set<String> hosts(Map<String, String> values)
    {
        return lowerCaseList(values, ConfigKeys.CLI_ALLOWED_HOSTS, HOST, "must list host names or addresses without a port");
    }

    private static Set<String> lowerCaseList(Map<String, String> values, String key, Pattern each, String rule)
    {
        Set<String> items = new LinkedHashSet<>();
        for (String item : ConfigLoader.splitList(values.get(key)))
        {
            if (!each.matcher(item).matches())
                throw ConfigException.invalid(key, rule, item);
            items.add(item.toLowerCase(java.util.Locale.ROOT));
        }
        return items;
    }

    private static Set<String> commandNames(Map<String, String> values)
    {
        Set<String> names = new java.util.TreeSet<>();
        for (String key : values.keySet())
        {
            String name = ConfigKeys.cliCommandName(key);
            if (name == null)
                continue;
            if (!NAME.matcher(name).matches())
                throw new ConfigException(key, key + " names command '" + name + "', but command names are 1-64 characters of [A-Za-z0-9_-]");
            names.add(name);
        }
        return names;
    }

    private static CliConfig.Command command(Map<String, String> values, String name, boolean enabled, Path workingDir,
                                             Duration timeout, long maxOutput, long maxMemory, int maxCpu)
    {
        String p = ConfigKeys.CLI_COMMANDS_PREFIX + name + ".";
        String pathKey = p + ConfigKeys.CLI_COMMAND_PATH;
        String raw = values.get(pathKey);
        if (raw == null || raw.isEmpty())
            throw ConfigException.invalid(pathKey, "must name the program of command '" + name + "'", raw);
        Path path = Path.of(raw);
        if (!path.isAbsolute())
            throw ConfigException.invalid(pathKey, "must be an absolute path", raw);
        if (enabled && (!Files.isRegularFile(path) || !Files.isExecutable(path)))
            throw ConfigException.invalid(pathKey, "must name an existing executable file", raw);
        String patternKey = p + ConfigKeys.CLI_COMMAND_ARGS_PATTERN;
        Pattern args = values.containsKey(patternKey) ? regex(patternKey, values.get(patternKey)) : null;
        String dirKey = p + ConfigKeys.CLI_COMMAND_WORKING_DIR;
        Path dir = values.containsKey(dirKey) ? directory(dirKey, values.get(dirKey), enabled) : workingDir;
        String timeoutKey = p + ConfigKeys.CLI_COMMAND_TIMEOUT;
        Duration t = values.containsKey(timeoutKey) ? Durations.positive(timeoutKey, values.get(timeoutKey)) : timeout;
        String outputKey = p + ConfigKeys.CLI_COMMAND_MAX_OUTPUT;
        long out = values.containsKey(outputKey) ? positiveSize(outputKey, values.get(outputKey)) : maxOutput;
        String memoryKey = p + ConfigKeys.CLI_COMMAND_MAX_MEMORY;
        long mem = values.containsKey(memoryKey) ? Sizes.parse(memoryKey, values.get(memoryKey)) : maxMemory;
        String cpuKey = p + ConfigKeys.CLI_COMMAND_MAX_CPU_SECONDS;
        int cpu = values.containsKey(cpuKey) ? ConfigLoader.intIn(values, cpuKey, 0, 1_000_000) : maxCpu;
        return new CliConfig.Command(name, path, args, dir, t, out, mem, cpu);
    }

    private static Path directory(String key, String value, boolean check)
    {
        if (value == null || value.isEmpty())
            return Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Path.of(value);
        if (!dir.isAbsolute())
            throw ConfigException.invalid(key, "must be an absolute path", value);
        if (check && !Files.isDirectory(dir))
            throw ConfigException.invalid(key, "must name an existing directory", value);
        return dir;
    }

    private static Pattern regex(String key, String value)
    {
        try
        {
            return Pattern.compile(value);
        }
        catch (PatternSyntaxException x)
        {
            throw ConfigException.invalid(key, "must be a valid regular expression (" + x.getDescription() + ")", value);
        }
    }

    private static long positiveSize(String key, String value)
    {
        long n = Sizes.parse(key, value);
        if (n <= 0)
            throw ConfigException.invalid(key, "must be > 0", value);
        return n;
    }
}
