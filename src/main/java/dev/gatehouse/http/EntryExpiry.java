package dev.gatehouse.http;

import java.util.function.ToLongBiFunction;

import com.github.benmanes.caffeine.cache.Expiry;

/**
 * A Caffeine {@link Expiry} from one per-entry lifetime in nanoseconds (like Caffeine's own
 * {@code Expiry.writing}/{@code Expiry.accessing}, without a {@code Duration} per call: the rate
 * limiter asks on every request).
 */
public final class EntryExpiry<K, V> implements Expiry<K, V>
{
    private final ToLongBiFunction<K, V> nanos;
    private final boolean renewOnRead;

    private EntryExpiry(ToLongBiFunction<K, V> nanos, boolean renewOnRead)
    {
        this.nanos = nanos;
        this.renewOnRead = renewOnRead;
    }

    /** The lifetime is set when the entry is created or replaced; reading it changes nothing. */
    public static <K, V> Expiry<K, V> afterWrite(ToLongBiFunction<K, V> nanos)
    {
        return new EntryExpiry<>(nanos, false);
    }

    /** The lifetime starts again at every create, replace and read (expire after access). */
    public static <K, V> Expiry<K, V> afterAccess(ToLongBiFunction<K, V> nanos)
    {
        return new EntryExpiry<>(nanos, true);
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime)
    {
        return nanos.applyAsLong(key, value);
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration)
    {
        return nanos.applyAsLong(key, value);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration)
    {
        return renewOnRead ? nanos.applyAsLong(key, value) : currentDuration;
    }
}
