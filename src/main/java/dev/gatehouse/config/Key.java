package dev.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once in {@link ConfigKeys}: its name, its default as the
 * properties file writes it, and how its text becomes a value (with the error message that names
 * the key and the bad value). The declaration feeds the defaults, the environment names, the
 * "did you mean" hints and the reference tests.
 *
 * <p>A per-route key is declared the same way with its suffix as name ({@code breaker.enabled});
 * {@link #read(Map, String)} reads {@code routes.<name>.<suffix>}, falling back to the key's own
 * default or, for a key that {@link #inherits} a global one, to the global value.</p>
 *
 * @param <T> the parsed value
 */
public final class Key<T>
{
    /** Turns the text of a key into a value; {@code key} is the full key name for messages. */
    @FunctionalInterface
    public interface Parser<T>
    {
        T parse(String key, String text);
    }

    private final String name;
    private final String defaultText;
    private final Parser<T> parser;
    private final Key<T> inherits;
    private final boolean restart;
    private final Ranged<T> ranged;

    /** Builds the parser of a numeric key for a range. */
    private interface Ranged<T>
    {
        Parser<T> in(long min, long max);
    }

    private Key(String name, String defaultText, Parser<T> parser, Key<T> inherits, boolean restart, Ranged<T> ranged)
    {
        this.name = name;
        this.defaultText = defaultText;
        this.parser = parser;
        this.inherits = inherits;
        this.restart = restart;
        this.ranged = ranged;
    }

    // ---- factories -----------------------------------------------------------------------------

    /** A key of any type, parsed by {@code parser}. {@code dflt} null: unset (the parser sees null). */
    public static <T> Key<T> of(String name, String dflt, Parser<T> parser)
    {
        return new Key<>(name, dflt, parser, null, false, null);
    }

    /** Free text; null default: unset. */
    public static Key<String> string(String name, String dflt)
    {
        return of(name, dflt, (key, text) -> text);
    }

    /** A comma list; blanks between commas are dropped. */
    public static Key<List<String>> list(String name, String dflt)
    {
        return of(name, dflt, (key, text) -> ConfigLoader.splitList(text));
    }

    /** {@code true} or {@code false}, in any case. */
    public static Key<Boolean> bool(String name, boolean dflt)
    {
        return bool(name, Boolean.toString(dflt));
    }

    private static Key<Boolean> bool(String name, String dflt)
    {
        return of(name, dflt, Key::parseBool);
    }

    /** A whole number; narrow it with {@link #range}. */
    public static Key<Integer> integer(String name, int dflt)
    {
        Ranged<Integer> ranged = (min, max) -> (key, text) -> (int)parseLong(key, text, min, max);
        return new Key<>(name, Integer.toString(dflt), ranged.in(Integer.MIN_VALUE, Integer.MAX_VALUE), null, false, ranged);
    }

    /** A whole number that may exceed an int; narrow it with {@link #range}. */
    public static Key<Long> longInteger(String name, long dflt)
    {
        Ranged<Long> ranged = (min, max) -> (key, text) -> parseLong(key, text, min, max);
        return new Key<>(name, Long.toString(dflt), ranged.in(Long.MIN_VALUE, Long.MAX_VALUE), null, false, ranged);
    }

    /** A human duration ({@code 250ms}, {@code 30s}); see {@link Durations}. */
    public static Key<Duration> duration(String name, String dflt)
    {
        return of(name, dflt, Durations::parse);
    }

    /** A human size in bytes ({@code 512}, {@code 16KB}); see {@link Sizes}. */
    public static Key<Long> size(String name, String dflt)
    {
        return of(name, dflt, Sizes::parse);
    }

    /** A rate in requests per second: 0 (off) or {@link ConfigLoader#MIN_RATE} to {@link ConfigLoader#MAX_RATE}. */
    public static Key<Double> rate(String name, String dflt)
    {
        return of(name, dflt, ConfigLoader::rate);
    }

    /**
     * One of {@code choices}, compared after {@code normalize} (the value is the normalized text);
     * otherwise {@code "<key> <rule>, but was '<text>'"}.
     */
    public static Key<String> choice(String name, String dflt, Function<String, String> normalize, String rule, String... choices)
    {
        Set<String> allowed = Set.of(choices);
        return of(name, dflt, (key, text) ->
        {
            String v = normalize.apply(text);
            if (!allowed.contains(v))
                throw ConfigException.invalid(key, rule, text);
            return v;
        });
    }

    /** A per-route (or per-command) key {@code name} that takes the value of {@code global} where it is not set. */
    public static <T> Key<T> inherits(String name, Key<T> global)
    {
        return new Key<>(name, null, global.parser, global, false, global.ranged);
    }

    // ---- refinements (each returns a new key) ----------------------------------------------------

    /** Numeric keys: {@code "<key> must be an integer between <min> and <max>"} outside the range. */
    public Key<T> range(long min, long max)
    {
        if (ranged == null)
            throw new IllegalStateException(name + " is not a whole-number key");
        return new Key<>(name, defaultText, ranged.in(min, max), inherits, restart, ranged);
    }

    /** Durations and numbers: {@code "<key> must be > 0, but was '0s'"} for zero or less. */
    public Key<T> positive()
    {
        return check(v -> v instanceof Duration d ? !d.isZero() && !d.isNegative() : ((Number)v).doubleValue() > 0, "must be > 0");
    }

    /** After parsing, {@code ok} must hold: {@code "<key> <rule>, but was '<text>'"} otherwise. */
    public Key<T> check(Predicate<? super T> ok, String rule)
    {
        Parser<T> inner = parser;
        return new Key<>(name, defaultText, (key, text) ->
        {
            T value = inner.parse(key, text);
            if (!ok.test(value))
                throw ConfigException.invalid(key, rule, text);
            return value;
        }, inherits, restart, null);
    }

    /** The same key without a default: unset unless configured (readers decide what unset means). */
    public Key<T> unset()
    {
        return new Key<>(name, null, parser, inherits, restart, ranged);
    }

    /** Read once at start-up: a change takes effect after a restart (a reload logs that). */
    public Key<T> restart()
    {
        return new Key<>(name, defaultText, parser, inherits, true, ranged);
    }

    // ---- reading -------------------------------------------------------------------------------

    /** The full name of a global key, the suffix of a per-route key. */
    public String name()
    {
        return name;
    }

    /** The default as the properties file writes it; empty or null: unset. */
    public String defaultText()
    {
        return defaultText;
    }

    /** The default, parsed. */
    public T defaultValue()
    {
        return parser.parse(name, defaultText);
    }

    /** For a per-route key: the global key it falls back to, or null. */
    public Key<T> inherited()
    {
        return inherits;
    }

    public boolean needsRestart()
    {
        return restart;
    }

    /** A global key's value: the text in {@code values}, else the default. */
    public T read(Map<String, String> values)
    {
        String text = values.get(name);
        return parser.parse(name, text != null ? text : defaultText);
    }

    /** A per-route key's value: {@code <prefix><name>} in {@code values}, else the inherited value or the default. */
    public T read(Map<String, String> values, String prefix)
    {
        String key = prefix + name;
        String text = values.get(key);
        if (text == null && inherits != null)
            return inherits.read(values);
        return parser.parse(key, text != null ? text : defaultText);
    }

    /** A per-route key's own value, or null where {@code <prefix><name>} is not set (no default, nothing inherited). */
    public T readOverride(Map<String, String> values, String prefix)
    {
        String key = prefix + name;
        String text = values.get(key);
        return text == null ? null : parser.parse(key, text);
    }

    @Override
    public String toString()
    {
        return name;
    }

    // ---- the shared parsers ----------------------------------------------------------------------

    static boolean parseBool(String key, String text)
    {
        if (text != null && text.equalsIgnoreCase("true"))
            return true;
        if (text != null && text.equalsIgnoreCase("false"))
            return false;
        throw ConfigException.invalid(key, "must be true or false", text);
    }

    static long parseLong(String key, String text, long min, long max)
    {
        try
        {
            long n = Long.parseLong(text);
            if (n >= min && n <= max)
                return n;
        }
        catch (NumberFormatException ignored)
        {
            // reported below
        }
        throw ConfigException.invalid(key, "must be an integer between " + min + " and " + max, text);
    }
}
