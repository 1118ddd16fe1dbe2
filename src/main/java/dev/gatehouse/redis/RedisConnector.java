package dev.gatehouse.redis;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.gatehouse.config.RedisUris;
import dev.gatehouse.http.BackgroundThreads;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce client to one Redis, set up the way Gatehouse needs it everywhere: commands time
 * out after {@code timeout} and fail at once while disconnected (no queueing behind an outage),
 * a lost connection is retried quickly (50 ms doubling to 1 s, subscriptions restored), and the
 * first connection is made in the background and retried every second, so a Redis that is down
 * when Gatehouse starts never stops Gatehouse from starting.
 */
public final class RedisConnector implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);

    private final String safeUri;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService retries;
    private volatile boolean closed;

    public RedisConnector(URI uri, Duration timeout, String threadName)
    {
        this.safeUri = RedisUris.masked(uri.toString());
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        this.resources = DefaultClientResources.builder()
            .ioThreadPoolSize(1)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
        this.client = RedisClient.create(resources, redisUri);
        Duration connectTimeout = timeout.multipliedBy(4).compareTo(Duration.ofSeconds(1)) > 0 ? timeout.multipliedBy(4) : Duration.ofSeconds(1);
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build());
        this.retries = Executors.newSingleThreadScheduledExecutor(r ->
        {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects in the background: {@code connect} is tried at once and every second until it
     * succeeds, then {@code connected} receives its result; each failed attempt goes to
     * {@code failed}.
     */
    public <T> void connectInBackground(Function<RedisClient, T> connect, Consumer<T> connected, Consumer<Throwable> failed)
    {
        retries.execute(new Runnable()
        {
            @Override
            public void run()
            {
                if (closed)
                    return;
                try
                {
                    connected.accept(connect.apply(client));
                }
                catch (RuntimeException x)
                {
                    failed.accept(x);
                    if (!closed)
                        retries.schedule(this, 1, TimeUnit.SECONDS);
                }
            }
        });
    }

    /** The URI with any password masked, for logs and messages. */
    public String safeUri()
    {
        return safeUri;
    }

    /** Stops retrying and closes the client and its threads (connections made through it close too). */
    @Override
    public void close()
    {
        closed = true;
        BackgroundThreads.stopNow(retries);
        try
        {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        }
        catch (Exception x)
        {
            LOG.debug("closing the Redis client for {}", safeUri, x);
        }
    }
}
