package dev.gatehouse.config;

import java.time.Duration;
import java.util.Locale;

/** Human durations: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}. A unit is required. */
public final class Durations
{
    private Durations()
    {
    }

    public static Duration parse(String key, String value)
    {
        String v = value == null ? "" : value.trim();
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i)))
            i++;
        if (i == 0 || i == v.length() || i > 12)
            throw ConfigException.invalid(key, "must be a duration with a unit (ms, s, m, h, d), e.g. 30s", value);
        long amount = Long.parseLong(v.substring(0, i));
        String unit = v.substring(i).trim().toLowerCase(Locale.ROOT);
        Duration d = switch (unit)
        {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw ConfigException.invalid(key, "must be a duration with a unit (ms, s, m, h, d), e.g. 30s", value);
        };
        if (d.compareTo(MAX) > 0)
            throw ConfigException.invalid(key, "must be at most 3650d", value);
        return d;
    }

    /** Ten years: anything longer is a typo, and all durations must fit in milliseconds. */
    public static final Duration MAX = Duration.ofDays(3650);

    /** Formats a duration the way the configuration writes it, for messages and docs. */
    public static String format(Duration d)
    {
        long ms = d.toMillis();
        if (ms % 1000 != 0)
            return ms + "ms";
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0)
            return (s / 3600) + "h";
        if (s != 0 && s % 60 == 0)
            return (s / 60) + "m";
        return s + "s";
    }
}
