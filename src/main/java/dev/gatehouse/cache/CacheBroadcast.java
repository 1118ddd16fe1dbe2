package dev.gatehouse.cache;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.config.CacheConfig;
import dev.gatehouse.redis.RedisConnector;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin purges shared by every instance: a purge on one instance ({@code DELETE /admin/cache})
 * is published on a Redis channel, and every other instance listening on it applies the same
 * purge to its own cache. Messages are {@code <instance> clear} or {@code <instance> purge <glob>};
 * an instance ignores its own. Redis pub/sub delivers at most once: an instance that is
 * disconnected while a purge is published misses it (it is logged; purge again, or let freshness
 * expire the entries). The connections come back by themselves and re-subscribe.
 */
public final class CacheBroadcast implements AutoCloseable
{
    /** The servlet-context attribute under which the application publishes the broadcast, when there is one. */
    public static final String ATTRIBUTE = CacheBroadcast.class.getName();

    /** The broadcast published in this servlet context, or null (cache.broadcast.redis.uri unset). */
    public static CacheBroadcast find(ServletContext servletContext)
    {
        return servletContext.getAttribute(ATTRIBUTE) instanceof CacheBroadcast b ? b : null;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CacheBroadcast.class);

    private final String instance = UUID.randomUUID().toString();
    private final String channel;
    private final ResponseCache cache;
    private final RedisConnector redis;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Counter sent;
    private final Counter received;
    private final Counter failed;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile StatefulRedisPubSubConnection<String, String> subscriber;

    public CacheBroadcast(CacheConfig.Broadcast settings, ResponseCache cache, MetricRegistry metrics)
    {
        this.channel = settings.channel();
        this.cache = cache;
        this.sent = metrics.counter("gatehouse.cache.broadcast.sent");
        this.received = metrics.counter("gatehouse.cache.broadcast.received");
        this.failed = metrics.counter("gatehouse.cache.broadcast.failed");
        this.redis = new RedisConnector(settings.uri(), Duration.ofSeconds(1), "gatehouse-cache-broadcast");
        redis.connectInBackground(client -> client.connect(), c -> publisher = c, this::failed);
        redis.connectInBackground(client ->
        {
            StatefulRedisPubSubConnection<String, String> c = client.connectPubSub();
            c.addListener(new RedisPubSubAdapter<>()
            {
                @Override
                public void message(String from, String message)
                {
                    if (channel.equals(from))
                        apply(message);
                }
            });
            c.sync().subscribe(channel);
            return c;
        }, c ->
        {
            subscriber = c;
            failing.set(false);
            LOG.info("Cache purges are shared through Redis at {} on channel {}", redis.safeUri(), channel);
        }, this::failed);
    }

    /** Tells the other instances to clear their caches (null pattern) or purge a glob. True when Redis took the message. */
    public boolean publish(String pattern)
    {
        StatefulRedisConnection<String, String> c = publisher;
        if (c == null)
        {
            failed.inc();
            LOG.warn("Cache purge not shared: Redis at {} is not connected", redis.safeUri());
            return false;
        }
        try
        {
            c.sync().publish(channel, instance + (pattern == null ? " clear" : " purge " + pattern));
            sent.inc();
            return true;
        }
        catch (RuntimeException x)
        {
            failed(x);
            LOG.warn("Cache purge not shared: {}", x.toString());
            return false;
        }
    }

    void apply(String message)
    {
        int space = message.indexOf(' ');
        if (space < 0 || message.substring(0, space).equals(instance))
            return;
        String command = message.substring(space + 1);
        received.inc();
        if (command.equals("clear"))
        {
            int n = cache.clear();
            LOG.info("Cache cleared by another instance: {} entries", n);
        }
        else if (command.startsWith("purge "))
        {
            String pattern = command.substring("purge ".length());
            int n = cache.purge(Glob.compile(pattern));
            LOG.info("Cache purged by another instance: {} entries matching {}", n, pattern);
        }
    }

    private void failed(Throwable x)
    {
        failed.inc();
        if (failing.compareAndSet(false, true))
            LOG.warn("Redis for cache purges at {} is not answering ({}); purges stay on this instance until it is back",
                redis.safeUri(), x.toString());
    }

    /** Subscribed and able to publish. */
    public boolean connected()
    {
        return publisher != null && subscriber != null;
    }

    @Override
    public void close()
    {
        redis.close();
    }
}
