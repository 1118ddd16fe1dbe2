package dev.gatehouse.policy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.gatehouse.config.RateLimitBackend;
import dev.gatehouse.redis.RedisConnector;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis (Bucket4j's compare-and-swap over Lettuce), shared by every instance that
 * uses the same Redis and key prefix: N instances allow the limit once, not N times. A bucket's
 * key expires once it would be full again, so Redis holds only active clients.
 * <p>When Redis cannot answer within {@code ratelimit.redis.timeout} (down, unreachable, slow),
 * the request is let through ({@code on-failure=open}, the default: an outage of the limiter is
 * not an outage of the proxy) or refused with 429 ({@code closed}); each failure is counted, the
 * first of a run logged at WARN and the recovery at INFO. The connection comes back by itself
 * ({@link RedisConnector}), so sharing resumes when Redis is back, without a restart.</p>
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    private final RateLimitBackend settings;
    private final RedisConnector redis;
    private final LongAdder failures = new LongAdder();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;

    public RedisRateLimiter(RateLimitBackend settings)
    {
        this.settings = settings;
        this.redis = new RedisConnector(settings.uri(), settings.timeout(), "gatehouse-ratelimit-redis");
        redis.connectInBackground(client -> client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)),
            this::connected, this::failed);
    }

    private void connected(StatefulRedisConnection<String, byte[]> c)
    {
        buckets = Bucket4jLettuce.casBasedBuilder(c)
            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
            .requestTimeout(settings.timeout())
            .build();
        connection = c;
        failing.set(false);
        LOG.info("Rate limits shared through Redis at {}", redis.safeUri());
    }

    @Override
    public Decision tryAcquire(String key, Limit limit)
    {
        ProxyManager<String> manager = buckets;
        if (manager == null)
            return onFailure(limit);
        try
        {
            ConsumptionProbe probe = manager.getProxy(redisKey(key, limit), () -> configuration(limit)).tryConsumeAndReturnRemaining(1);
            recovered();
            long reset = LocalRateLimiter.ceilSeconds(probe.getNanosToWaitForReset());
            if (probe.isConsumed())
                return new Decision(true, limit.burst(), probe.getRemainingTokens(), reset, 0);
            long retryAfter = Math.max(1, LocalRateLimiter.ceilSeconds(probe.getNanosToWaitForRefill()));
            return new Decision(false, limit.burst(), probe.getRemainingTokens(), reset, retryAfter);
        }
        catch (RuntimeException x)
        {
            failed(x);
            return onFailure(limit);
        }
    }

    /** Open: allowed, as if the bucket were full. Closed: refused, retry in a second. */
    private Decision onFailure(Limit limit)
    {
        if (settings.failClosed())
            return new Decision(false, limit.burst(), 0, 1, 1);
        return new Decision(true, limit.burst(), limit.burst(), 0, 0);
    }

    private void failed(Throwable x)
    {
        failures.increment();
        if (failing.compareAndSet(false, true))
            LOG.warn("Redis for shared rate limits at {} is not answering ({}); requests are {} until it is back",
                redis.safeUri(), x.toString(), settings.failClosed() ? "refused" : "let through");
        else
            LOG.debug("Redis rate limit call failed", x);
    }

    private void recovered()
    {
        if (failing.compareAndSet(true, false))
            LOG.info("Redis for shared rate limits at {} answers again; limits are shared again", redis.safeUri());
    }

    /** Buckets of different limits for one client are different buckets, as in the local limiter. */
    private String redisKey(String key, Limit limit)
    {
        return settings.keyPrefix() + limit.rateText() + ':' + limit.burst() + ':' + key;
    }

    private static BucketConfiguration configuration(Limit limit)
    {
        return BucketConfiguration.builder()
            .addLimit(limit.bandwidth())
            .build();
    }

    /** Calls that could not reach Redis since start. */
    public long failures()
    {
        return failures.sum();
    }

    /** Whether Redis answered the last call (and a connection exists). */
    public boolean healthy()
    {
        return connection != null && !failing.get();
    }

    @Override
    public void close()
    {
        redis.close();
    }
}
