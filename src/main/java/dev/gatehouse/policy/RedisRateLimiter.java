package dev.gatehouse.policy;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.gatehouse.config.RateLimitBackend;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis (Bucket4j's compare-and-swap over Lettuce), shared by every instance that
 * uses the same Redis and key prefix: N instances allow the limit once, not N times. A bucket's
 * key expires once it would be full again, so Redis holds only active clients.
 * <p>When Redis cannot answer within {@code ratelimit.redis.timeout} (down, unreachable, slow),
 * the request is let through ({@code on-failure=open}, the default: an outage of the limiter is
 * not an outage of the proxy) or refused with 429 ({@code closed}); each failure is counted, the
 * first of a run logged at WARN and the recovery at INFO. The connection reconnects by itself, so
 * sharing resumes when Redis is back, without a restart; while disconnected, commands fail at
 * once instead of queueing.</p>
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final RateLimitBackend settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService connector;
    private final LongAdder failures = new LongAdder();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> buckets;
    private volatile boolean closed;

    public RedisRateLimiter(RateLimitBackend settings)
    {
        this.settings = settings;
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.timeout());
        // a lost connection is retried quickly (50 ms doubling to 1 s), so sharing resumes soon after Redis is back
        this.resources = DefaultClientResources.builder()
            .ioThreadPoolSize(1)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(max(Duration.ofSeconds(1), settings.timeout().multipliedBy(4))).build())
            .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
            .build());
        this.connector = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, "gatehouse-ratelimit-redis");
            t.setDaemon(true);
            return t;
        });
        // the first connection is made in the background (and retried): Redis being down at
        // start-up must not stop the proxy; the failure policy applies until it is up
        connector.execute(this::connect);
    }

    private void connect()
    {
        if (closed || connection != null)
            return;
        try
        {
            StatefulRedisConnection<String, byte[]> c = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            buckets = Bucket4jLettuce.casBasedBuilder(c)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
                .requestTimeout(settings.timeout())
                .build();
            connection = c;
            failing.set(false);
            LOG.info("Rate limits shared through Redis at {}", settings.safeUri());
        }
        catch (RuntimeException x)
        {
            failed(x);
            if (!closed)
                connector.schedule(this::connect, 1, TimeUnit.SECONDS);
        }
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
                settings.safeUri(), x.toString(), settings.failClosed() ? "refused" : "let through");
        else
            LOG.debug("Redis rate limit call failed", x);
    }

    private void recovered()
    {
        if (failing.compareAndSet(true, false))
            LOG.info("Redis for shared rate limits at {} answers again; limits are shared again", settings.safeUri());
    }

    /** Buckets of different limits for one client are different buckets, as in the local limiter. */
    private String redisKey(String key, Limit limit)
    {
        return settings.keyPrefix() + limit.requestsPerSecond() + ':' + limit.burst() + ':' + key;
    }

    private static BucketConfiguration configuration(Limit limit)
    {
        return BucketConfiguration.builder()
            .addLimit(Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1))
                .build())
            .build();
    }

    private static Duration max(Duration a, Duration b)
    {
        return a.compareTo(b) >= 0 ? a : b;
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
        closed = true;
        connector.shutdownNow();
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null)
            c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

}
