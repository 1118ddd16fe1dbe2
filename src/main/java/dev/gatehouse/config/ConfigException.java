package dev.gatehouse.config;

/**
 * Invalid configuration. The message is one line that names the key and the bad value, suitable
 * for printing to an operator as is.
 */
public final class ConfigException extends RuntimeException
{
    private final String key;

    public ConfigException(String key, String message)
    {
        super(message);
        this.key = key;
    }

    public ConfigException(Key<?> key, String message)
    {
        this(key.name(), message);
    }

    /** {@link #invalid(String, String, String)} for a declared key. */
    public static ConfigException invalid(Key<?> key, String rule, String value)
    {
        return invalid(key.name(), rule, value);
    }

    /** Builds the conventional message: {@code "<key> <rule>, but was <value>"}. */
    public static ConfigException invalid(String key, String rule, String value)
    {
        return new ConfigException(key, key + " " + rule + ", but was " + quote(value));
    }

    public String key()
    {
        return key;
    }

    static String quote(String value)
    {
        if (value == null)
            return "(unset)";
        String shown = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }
}
