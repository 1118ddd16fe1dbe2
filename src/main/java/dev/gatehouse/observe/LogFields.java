package dev.gatehouse.observe;

import net.logstash.logback.argument.StructuredArgument;
import tools.jackson.core.JsonGenerator;

/**
 * The fields of one access-log line as a single structured argument: written straight into the
 * JSON line with typed generator calls (strings as strings, numbers as numbers, null as null),
 * where one {@code kv()} argument per field would make the encoder look up a serializer for
 * every value. Built on the request thread, written by the log thread.
 */
public final class LogFields implements StructuredArgument
{
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
            String name = (String)pairs[i];
            Object value = pairs[i + 1];
            if (value == null)
                generator.writeNullProperty(name);
            else if (value instanceof Long l)
                generator.writeNumberProperty(name, l.longValue());
            else if (value instanceof Integer n)
                generator.writeNumberProperty(name, n.intValue());
            else if (value instanceof Boolean b)
                generator.writeBooleanProperty(name, b.booleanValue());
            else
                generator.writeStringProperty(name, value.toString());
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
