package dev.gatehouse.config;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
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

    static LogConfig from(Map<String, String> values)
    {
        String level = ConfigKeys.LOG_LEVEL.read(values);
        String format = ConfigKeys.LOG_FORMAT.read(values);
        Set<String> redact = new HashSet<>();
        for (String name : ConfigKeys.LOG_REDACT.read(values))
            redact.add(name.toLowerCase(Locale.ROOT));
        return new LogConfig(
            ConfigKeys.LOG_ACCESS_ENABLED.read(values),
            level,
            format,
            redact,
            ConfigKeys.LOG_QUEUE_SIZE.read(values),
            ConfigKeys.LOG_NEVER_BLOCK.read(values),
            ConfigKeys.LOG_FILE_PATH.read(values),
            ConfigKeys.LOG_FILE_MAX_SIZE.read(values),
            ConfigKeys.LOG_FILE_MAX_HISTORY.read(values),
            ConfigKeys.LOG_FILE_TOTAL_SIZE_CAP.read(values));
    }
}
