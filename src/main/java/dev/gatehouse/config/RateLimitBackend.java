package dev.gatehouse.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
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
        String backend = values.get(ConfigKeys.RATELIMIT_BACKEND).trim().toLowerCase(Locale.ROOT);
        if (!backend.equals("local") && !backend.equals("redis"))
            throw ConfigException.invalid(ConfigKeys.RATELIMIT_BACKEND, "must be local or redis", values.get(ConfigKeys.RATELIMIT_BACKEND));
        URI uri = RedisUris.parse(ConfigKeys.RATELIMIT_REDIS_URI, values.get(ConfigKeys.RATELIMIT_REDIS_URI));
        String onFailure = values.get(ConfigKeys.RATELIMIT_REDIS_ON_FAILURE).trim().toLowerCase(Locale.ROOT);
        if (!onFailure.equals("open") && !onFailure.equals("closed"))
            throw ConfigException.invalid(ConfigKeys.RATELIMIT_REDIS_ON_FAILURE, "must be open or closed",
                values.get(ConfigKeys.RATELIMIT_REDIS_ON_FAILURE));
        Duration timeout = Durations.parse(ConfigKeys.RATELIMIT_REDIS_TIMEOUT, values.get(ConfigKeys.RATELIMIT_REDIS_TIMEOUT));
        if (timeout.isZero())
            throw ConfigException.invalid(ConfigKeys.RATELIMIT_REDIS_TIMEOUT, "must be > 0", values.get(ConfigKeys.RATELIMIT_REDIS_TIMEOUT));
        return new RateLimitBackend(backend.equals("redis"), uri, onFailure.equals("closed"), timeout,
            values.get(ConfigKeys.RATELIMIT_REDIS_KEY_PREFIX));
    }

    /** The URI without its password, for messages and logs. */
    public String safeUri()
    {
        return RedisUris.masked(uri.toString());
    }
}
