package dev.gatehouse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.config.CliConfig;
import dev.gatehouse.http.ErrorCode;

/**
 * Decides whether a request may run a program, and with what: only a declared command (by name or
 * by its exact declared path), each argument matching the command's {@code args-pattern}, only
 * environment variables listed in {@code cli.env.allowed}, a timeout no longer than the command's.
 * Pure: no I/O, no state beyond the configuration.
 */
public final class CommandPolicy
{
    /** The search path every child gets. */
    public static final String CHILD_PATH = "/usr/local/bin:/usr/bin:/bin";
    public static final String CHILD_LANG = "C.UTF-8";
    static final int MAX_ARGS = 1024;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final CliConfig config;
    private final Map<String, CliConfig.Command> byPath = new LinkedHashMap<>();

    public CommandPolicy(CliConfig config)
    {
        this.config = config;
        for (CliConfig.Command c : config.commands().values())
            byPath.putIfAbsent(c.path().toString(), c);
    }

    /**
     * What a permitted request runs.
     *
     * @param env     the request's variables only (the minimal environment is added by {@link #environment})
     * @param timeout the effective timeout: the request's if shorter than the command's
     */
    public record Invocation(CliConfig.Command command, List<String> args, Map<String, String> env, Duration timeout)
    {
        public Invocation
        {
            args = List.copyOf(args);
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }
    }

    Invocation check(String command, List<String> args, Map<String, String> env, Duration requestedTimeout) throws CliRejection
    {
        CliConfig.Command c = command == null ? null : config.commands().get(command);
        if (c == null && command != null)
            c = byPath.get(command);
        if (c == null)
            throw new CliRejection(ErrorCode.CLI_COMMAND_NOT_ALLOWED, "cli-command", "The command is not declared in cli.commands");
        if (args.size() > MAX_ARGS)
            throw new CliRejection(ErrorCode.BAD_REQUEST, "cli-bad-request", "More than " + MAX_ARGS + " arguments");
        for (String a : args)
        {
            if (a == null || a.indexOf('\0') >= 0)
                throw new CliRejection(ErrorCode.BAD_REQUEST, "cli-bad-request", "Arguments must be strings without NUL characters");
            if (c.argsPattern() != null && !c.argsPattern().matcher(a).matches())
                throw new CliRejection(ErrorCode.CLI_COMMAND_NOT_ALLOWED, "cli-args", "An argument does not match the args-pattern of command '" + c.name() + "'");
        }
        for (Map.Entry<String, String> e : env.entrySet())
        {
            if (!ENV_NAME.matcher(e.getKey()).matches() || !config.envAllowed().contains(e.getKey()))
                throw new CliRejection(ErrorCode.BAD_REQUEST, "cli-env", "Environment variable '" + e.getKey() + "' is not in cli.env.allowed");
            if (e.getValue() == null || e.getValue().indexOf('\0') >= 0)
                throw new CliRejection(ErrorCode.BAD_REQUEST, "cli-env", "Environment values must be strings without NUL characters");
        }
        Duration timeout = c.timeout();
        if (requestedTimeout != null)
        {
            if (requestedTimeout.isZero() || requestedTimeout.isNegative())
                throw new CliRejection(ErrorCode.BAD_REQUEST, "cli-bad-request", "timeout must be > 0");
            if (requestedTimeout.compareTo(timeout) < 0)
                timeout = requestedTimeout;
        }
        return new Invocation(c, args, env, timeout);
    }

    /** The child's whole environment: PATH, LANG, HOME (the working directory), then the permitted request variables. */
    static Map<String, String> environment(Invocation invocation)
    {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", CHILD_PATH);
        env.put("LANG", CHILD_LANG);
        Path home = invocation.command().workingDir();
        env.put("HOME", home.toString());
        env.putAll(invocation.env());
        return env;
    }

    /** The arguments as the audit log shows them: each part matching a {@code cli.redact-args} pattern becomes {@code ***}. */
    String redact(List<String> args)
    {
        List<String> shown = new ArrayList<>(args.size());
        for (String a : args)
        {
            String s = a;
            for (Pattern p : config.redactArgs())
            {
                Matcher m = p.matcher(s);
                s = m.replaceAll("***");
            }
            shown.add(s);
        }
        return String.join(" ", shown);
    }
}
