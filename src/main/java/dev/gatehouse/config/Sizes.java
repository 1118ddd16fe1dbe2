package dev.gatehouse.config;

import java.util.Locale;

/** Human sizes: {@code 512}, {@code 16KB}, {@code 10MB}, {@code 2GB} (binary multiples). */
public final class Sizes
{
    private Sizes()
    {
    }

    public static long parse(String key, String value)
    {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i)))
            i++;
        if (i == 0 || i > 15)
            throw ConfigException.invalid(key, "must be a size such as 512, 16KB, 10MB or 2GB", value);
        long amount = Long.parseLong(v.substring(0, i));
        long unit = switch (v.substring(i).trim())
        {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            case "T", "TB", "TIB" -> 1L << 40;
            default -> throw ConfigException.invalid(key, "must be a size such as 512, 16KB, 10MB or 2GB", value);
        };
        if (amount > Long.MAX_VALUE / unit)
            throw ConfigException.invalid(key, "is too large", value);
        return amount * unit;
    }
}
