package dev.gatehouse.observe;

import java.util.concurrent.ConcurrentHashMap;

import net.logstash.logback.argument.StructuredArgument;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * The fields of one access-log line as a single structured argument: written straight into the
 * JSON line with typed generator calls (strings as strings, numbers as numbers, null as null),
 * where one {@code kv()} argument per field would make the encoder look up a serializer for
 * every value. Built on the request thread, written by the log thread.
 */
public final class LogFields implements StructuredArgument
{
    /**
     * Field names, quoted and encoded once: the generator copies their bytes instead of escaping
     * them again on every line. The names are the access log's constants (both callers pass
     * literals), so the map stays a dozen entries.
     */
    private static final ConcurrentHashMap<String, SerializableString> NAMES = new ConcurrentHashMap<>();

    private final Object[] pairs;

    private LogFields(Object[] pairs)
    {
        this.pairs = pairs;
    }

    /** Name, value, name, value...: values are {@link String}, {@link Long}, {@link Integer}, {@link Boolean} or null. */
    public static LogFields of(Object... pairs)
    {
        if (pairs.length % 2 != 0)
            throw new IllegalArgumentException("name/value pairs expected");
        return new LogFields(pairs);
    }

    @Override
    public void writeTo(JsonGenerator generator)
    {
        for (int i = 0; i < pairs.length; i += 2)
        {
            generator.writeName(NAMES.computeIfAbsent((String)pairs[i], SerializedString::new));
            Object value = pairs[i + 1];
            if (value == null)
                generator.writeNull();
            else if (value instanceof Long l)
                generator.writeNumber(l.longValue());
            else if (value instanceof Integer n)
                generator.writeNumber(n.intValue());
            else if (value instanceof Boolean b)
                generator.writeBoolean(b.booleanValue());
            else
                generator.writeString(value.toString());
        }
    }

    /** {@code name=value} pairs separated by spaces, as {@code kv()} arguments print. */
    @Override
    public String toString()
    {
        StringBuilder b = new StringBuilder(pairs.length * 12);
        for (int i = 0; i < pairs.length; i += 2)
        {
            if (i > 0)
                b.append(' ');
            b.append(pairs[i]).append('=').append(pairs[i + 1]);
        }
        return b.toString();
    }
}
