package dev.gatehouse.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
        boolean enabled = ConfigKeys.CLI_ENABLED.read(values);
        String prefix = ConfigKeys.CLI_PATH_PREFIX.read(values);
        Set<String> env = new LinkedHashSet<>();
        for (String name : ConfigLoader.splitList(ConfigKeys.CLI_ENV_ALLOWED.read(values)))
        {
            if (!ENV_NAME.matcher(name).matches())
                throw ConfigException.invalid(ConfigKeys.CLI_ENV_ALLOWED.name(), "must list environment variable names", name);
            env.add(name);
        }
        Path workingDir = directory(ConfigKeys.CLI_WORKING_DIR.name(), ConfigKeys.CLI_WORKING_DIR.read(values), enabled);
        Duration timeout = ConfigKeys.CLI_TIMEOUT.read(values);
        Duration killGrace = ConfigKeys.CLI_KILL_GRACE.read(values);
        long maxOutput = ConfigKeys.CLI_MAX_OUTPUT.read(values);
        long maxMemory = ConfigKeys.CLI_MAX_MEMORY.read(values);
        int maxCpu = ConfigKeys.CLI_MAX_CPU_SECONDS.read(values);
        List<Pattern> redact = new ArrayList<>();
        for (String p : ConfigLoader.splitList(ConfigKeys.CLI_REDACT_ARGS.read(values)))
            redact.add(regex(ConfigKeys.CLI_REDACT_ARGS.name(), p));
        Map<String, CliConfig.Command> commands = new LinkedHashMap<>();
        for (String name : commandNames(values))
            commands.put(name, command(values, name, enabled, workingDir));
        return new CliConfig(enabled, prefix, env, workingDir,
            ConfigKeys.CLI_MAX_CONCURRENT.read(values),
            ConfigKeys.CLI_QUEUE.read(values),
            timeout, killGrace, maxOutput, maxMemory, maxCpu, ConfigKeys.CLI_TOKEN.read(values),
            ConfigKeys.CLI_ACL_ALLOW.read(values), redact,
            ConfigKeys.CLI_RETAIN_BYTES.read(values),
            ConfigKeys.CLI_RETAIN_FOR.read(values),
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

    private static Set<String> lowerCaseList(Map<String, String> values, Key<String> key, Pattern each, String rule)
    {
        Set<String> items = new LinkedHashSet<>();
        for (String item : ConfigLoader.splitList(key.read(values)))
        {
            if (!each.matcher(item).matches())
                throw ConfigException.invalid(key.name(), rule, item);
            items.add(item.toLowerCase(Locale.ROOT));
        }
        return items;
    }

    private static Set<String> commandNames(Map<String, String> values)
    {
        Set<String> names = new TreeSet<>();
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

    private static CliConfig.Command command(Map<String, String> values, String name, boolean enabled, Path workingDir)
    {
        String p = ConfigKeys.CLI_COMMANDS_PREFIX + name + ".";
        String pathKey = p + ConfigKeys.CLI_COMMAND_PATH.name();
        String raw = ConfigKeys.CLI_COMMAND_PATH.read(values, p);
        if (raw == null || raw.isEmpty())
            throw ConfigException.invalid(pathKey, "must name the program of command '" + name + "'", raw);
        Path path = Path.of(raw);
        if (!path.isAbsolute())
            throw ConfigException.invalid(pathKey, "must be an absolute path", raw);
        if (enabled && (!Files.isRegularFile(path) || !Files.isExecutable(path)))
            throw ConfigException.invalid(pathKey, "must name an existing executable file", raw);
        String patternKey = p + ConfigKeys.CLI_COMMAND_ARGS_PATTERN.name();
        String argsPattern = ConfigKeys.CLI_COMMAND_ARGS_PATTERN.read(values, p);
        Pattern args = argsPattern != null ? regex(patternKey, argsPattern) : null;
        String dirKey = p + ConfigKeys.CLI_COMMAND_WORKING_DIR.name();
        String dirText = ConfigKeys.CLI_COMMAND_WORKING_DIR.readOverride(values, p);
        Path dir = dirText != null ? directory(dirKey, dirText, enabled) : workingDir;
        return new CliConfig.Command(name, path, args, dir,
            ConfigKeys.CLI_COMMAND_TIMEOUT.read(values, p),
            ConfigKeys.CLI_COMMAND_MAX_OUTPUT.read(values, p),
            ConfigKeys.CLI_COMMAND_MAX_MEMORY.read(values, p),
            ConfigKeys.CLI_COMMAND_MAX_CPU_SECONDS.read(values, p));
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
}
