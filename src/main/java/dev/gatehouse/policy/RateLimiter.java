package dev.gatehouse.policy;

import java.math.BigDecimal;
import java.time.Duration;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.RateLimitBackend;
import dev.gatehouse.http.ContextAttributes;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BandwidthBuilder;
import jakarta.servlet.ServletContext;

/**
 * Decides whether one more request for a key (a client address, a user, a route) fits its limit.
 * The local implementation is {@link LocalRateLimiter}; a shared one (for example Redis backed)
 * can replace it without touching the filter. Implementations are thread safe and lock free on
 * the request path.
 */
public interface RateLimiter
{
    /** The servlet-context attribute under which the application publishes the rate limiter. */
    String ATTRIBUTE = RateLimiter.class.getName();

    /** The rate limiter published in this servlet context. */
    static RateLimiter from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, RateLimiter.class);
    }

    /**
     * Local buckets, or buckets shared through Redis ({@code ratelimit.backend=redis}); the
     * backend is chosen at start-up and kept across reloads (limits and keys still reload).
     */
    static RateLimiter create(GatehouseConfig config, MetricRegistry metrics)
    {
        RateLimitBackend backend = config.policy().rateLimitBackend();
        if (!backend.redis())
            return new LocalRateLimiter(config.policy().rateLimitMaxClients());
        RedisRateLimiter redis = new RedisRateLimiter(backend);
        metrics.register("gatehouse.ratelimit.redis.failures", (Gauge<Long>)redis::failures);
        metrics.register("gatehouse.ratelimit.redis.healthy", (Gauge<Integer>)() -> redis.healthy() ? 1 : 0);
        return redis;
    }

    /**
     * A token bucket: {@code burst} tokens of capacity, refilled at {@code requestsPerSecond}.
     *
     * @param requestsPerSecond sustained rate, more than 0; below 1 (0.5 = one request every 2 s)
     *     or with a fraction, one token is added at a time
     * @param burst bucket capacity, at least 1
     */
    record Limit(double requestsPerSecond, long burst)
    {
        public Limit
        {
            if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond))
                throw new IllegalArgumentException("requestsPerSecond must be > 0, but was " + requestsPerSecond);
            if (burst < 1)
                throw new IllegalArgumentException("burst must be >= 1, but was " + burst);
        }

        /** The burst for a rate when none is configured: the rate per second, at least 1. */
        public static Limit withDefaultBurst(double requestsPerSecond, long burst)
        {
            return new Limit(requestsPerSecond, burst > 0 ? burst : Math.max(1, (long)Math.ceil(requestsPerSecond)));
        }

        /** The bucket4j bandwidth: whole rates refill per second, others one token at a time. */
        Bandwidth bandwidth()
        {
            long whole = (long)requestsPerSecond;
            BandwidthBuilder.BandwidthBuilderRefillStage capacity = Bandwidth.builder().capacity(burst);
            return (whole == requestsPerSecond
                ? capacity.refillGreedy(whole, Duration.ofSeconds(1))
                : capacity.refillGreedy(1, Duration.ofNanos(Math.round(1e9 / requestsPerSecond)))).build();
        }

        /** The rate as written: "1", "0.25" (no trailing ".0"). */
        String rateText()
        {
            return BigDecimal.valueOf(requestsPerSecond).stripTrailingZeros().toPlainString();
        }
    }

    /**
     * The outcome of one {@link #tryAcquire} call, with the values for the IETF {@code RateLimit-*}
     * and {@code Retry-After} headers.
     *
     * @param allowed whether the request may proceed
     * @param limit bucket capacity (the burst), for {@code RateLimit-Limit}
     * @param remaining tokens left after this request
     * @param resetSeconds seconds, rounded up, until the bucket is full again (0 when full)
     * @param retryAfterSeconds when refused, seconds rounded up (at least 1) until one token is
     *     available; 0 when allowed
     */
    record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds)
    {
    }

    /** Takes one token from the bucket of {@code key} under {@code limit}, if one is available. */
    Decision tryAcquire(String key, Limit limit);
}
