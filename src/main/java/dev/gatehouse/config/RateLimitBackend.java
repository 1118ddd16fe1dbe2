package dev.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where rate-limit buckets live: in this process ({@code local}) or in Redis ({@code redis}), shared
 * by every instance so N instances allow the limit once, not N times.
 *
 * @param redis       true for the Redis backend
 * @param uri         {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS)
 * @param failClosed  when Redis cannot answer: refuse ({@code closed}) or let requests pass ({@code open})
 * @param timeout     how long a request waits for Redis before the failure policy applies
 * @param keyPrefix   prefix of the bucket keys (instances sharing a prefix share buckets)
 */
public record RateLimitBackend(boolean redis, URI uri, boolean failClosed, Duration timeout, String keyPrefix)
{
    static RateLimitBackend from(Map<String, String> values)
    {
        String backend = ConfigKeys.RATELIMIT_BACKEND.read(values);
        URI uri = ConfigKeys.RATELIMIT_REDIS_URI.read(values);
        String onFailure = ConfigKeys.RATELIMIT_REDIS_ON_FAILURE.read(values);
        Duration timeout = ConfigKeys.RATELIMIT_REDIS_TIMEOUT.read(values);
        return new RateLimitBackend(backend.equals("redis"), uri, onFailure.equals("closed"), timeout,
            ConfigKeys.RATELIMIT_REDIS_KEY_PREFIX.read(values));
    }

    /** The URI without its password, for messages and logs. */
    public String safeUri()
    {
        return RedisUris.masked(uri.toString());
    }
}
