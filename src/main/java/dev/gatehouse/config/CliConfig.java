package dev.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The CLI integration ({@code cli.*}): which programs may run and within which limits. Built by
 * {@link CliConfigs}; every command's path was checked (absolute, exists, executable) at load time.
 *
 * @param pathPrefix   where the CLI endpoints are mounted, like {@code /cli/}
 * @param envAllowed   request environment variable names a client may set
 * @param workingDir   the default working directory (and {@code HOME}) of a run
 * @param maxMemory    address-space limit per process in bytes, 0 for none
 * @param maxCpuSeconds CPU-time limit per process, 0 for none
 * @param token        Bearer token required for every CLI request, empty for none
 * @param redactArgs   patterns whose matches are masked in audit lines
 * @param commands     declared commands by name, in declaration order
 * @param allowedOrigins browser origins ({@code scheme://host[:port]}, lower case) allowed to call the CLI
 * @param allowedHosts extra host names (lower case) a CLI request's Host may name besides the listener itself
 */
public record CliConfig(boolean enabled, String pathPrefix, Set<String> envAllowed, Path workingDir, int maxConcurrent,
                        int queue, Duration timeout, Duration killGrace, long maxOutput, long maxMemory, int maxCpuSeconds,
                        String token, List<String> aclAllow, List<Pattern> redactArgs, long retainBytes, Duration retainFor,
                        Map<String, Command> commands, Set<String> allowedOrigins, Set<String> allowedHosts)
{
    public CliConfig
    {
        envAllowed = Set.copyOf(envAllowed);
        aclAllow = List.copyOf(aclAllow);
        redactArgs = List.copyOf(redactArgs);
        allowedOrigins = Set.copyOf(allowedOrigins);
        allowedHosts = Set.copyOf(allowedHosts);
        commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    }

    /**
     * One declared command, its limits resolved (per-command value, else the global one).
     *
     * @param argsPattern each argument must match it entirely; null allows any argument
     */
    public record Command(String name, Path path, Pattern argsPattern, Path workingDir, Duration timeout, long maxOutput,
                          long maxMemory, int maxCpuSeconds)
    {
    }
}
