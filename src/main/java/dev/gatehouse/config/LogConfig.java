package dev.gatehouse.config;

import java.util.Set;

/**
 * Logging ({@code log.*}): the access log, level, format, redaction, the async queue and an
 * optional rolling file.
 *
 * @param redact      header and query parameter names (lower case) whose values are never logged,
 *                    on top of the built-in credentials list
 * @param filePath    empty: console only
 */
public record LogConfig(boolean accessEnabled, String level, String format, Set<String> redact, int queueSize,
                        boolean neverBlock, String filePath, long fileMaxSize, int fileMaxHistory, long fileTotalSizeCap)
{
    public LogConfig
    {
        redact = Set.copyOf(redact);
    }

    static LogConfig from(java.util.Map<String, String> values)
    {
        String level = values.get(ConfigKeys.LOG_LEVEL).toUpperCase(java.util.Locale.ROOT);
        if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(level))
            throw ConfigException.invalid(ConfigKeys.LOG_LEVEL, "must be TRACE, DEBUG, INFO, WARN, ERROR or OFF", values.get(ConfigKeys.LOG_LEVEL));
        String format = values.get(ConfigKeys.LOG_FORMAT).toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("json") && !format.equals("text"))
            throw ConfigException.invalid(ConfigKeys.LOG_FORMAT, "must be json or text", values.get(ConfigKeys.LOG_FORMAT));
        java.util.Set<String> redact = new java.util.HashSet<>();
        for (String name : ConfigLoader.splitList(values.get(ConfigKeys.LOG_REDACT)))
            redact.add(name.toLowerCase(java.util.Locale.ROOT));
        return new LogConfig(
            ConfigLoader.bool(values, ConfigKeys.LOG_ACCESS_ENABLED),
            level,
            format,
            redact,
            ConfigLoader.intIn(values, ConfigKeys.LOG_QUEUE_SIZE, 16, 10_000_000),
            ConfigLoader.bool(values, ConfigKeys.LOG_NEVER_BLOCK),
            values.get(ConfigKeys.LOG_FILE_PATH),
            Sizes.parse(ConfigKeys.LOG_FILE_MAX_SIZE, values.get(ConfigKeys.LOG_FILE_MAX_SIZE)),
            ConfigLoader.intIn(values, ConfigKeys.LOG_FILE_MAX_HISTORY, 1, 3650),
            Sizes.parse(ConfigKeys.LOG_FILE_TOTAL_SIZE_CAP, values.get(ConfigKeys.LOG_FILE_TOTAL_SIZE_CAP)));
    }
}
