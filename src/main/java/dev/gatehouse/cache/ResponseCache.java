package dev.gatehouse.cache;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.gatehouse.config.CacheConfig;
import dev.gatehouse.http.ContextAttributes;
import dev.gatehouse.http.EntryExpiry;
import jakarta.servlet.ServletContext;
import org.eclipse.jetty.http.HttpFields;

/**
 * The store: a Caffeine map from primary key to the variants stored under it, bounded by bytes
 * and entries, each key expiring when none of its variants can be used any more. Both bounds are
 * enforced by one weigher: an entry weighs its size in bytes, but at least
 * {@code max-memory / max-entries}, so total weight within {@code max-memory} also means at most
 * {@code max-entries} entries. Also holds the in-flight misses (request collapsing) and the
 * background refreshes, and counts what it does.
 */
public final class ResponseCache
{
    /** The servlet-context attribute under which the application publishes the response cache. */
    public static final String ATTRIBUTE = ResponseCache.class.getName();

    /** The response cache published in this servlet context. */
    public static ResponseCache from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, ResponseCache.class);
    }

    /** A stale response with a validator is kept this long for revalidation (memory pressure evicts it sooner). */
    public static final long VALIDATOR_RETENTION_MILLIS = 3600_000L;
    /** Variants kept per primary key; the oldest goes first. */
    static final int MAX_VARIANTS = 32;

    private final Clock clock;
    private final Cache<String, Variants> store;
    private volatile long quantum;
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
    final Counter hits = new Counter();
    final Counter misses = new Counter();
    final Counter stale = new Counter();
    final Counter revalidated = new Counter();
    final Counter evictions = new Counter();
    final Counter stores = new Counter();
    final Counter bypasses = new Counter();
    final Counter collapsed = new Counter();

    /** The variants of one primary key, newest first. */
    record Variants(List<StoredResponse> list)
    {
        long weight(long quantum)
        {
            long w = 0;
            for (StoredResponse r : list)
                w += Math.max(r.size, quantum);
            return w;
        }

        long retainUntil()
        {
            long until = 0;
            for (StoredResponse r : list)
                until = Math.max(until, r.retainUntil(VALIDATOR_RETENTION_MILLIS));
            return until;
        }
    }

    public ResponseCache(CacheConfig config, Clock clock)
    {
        this.clock = clock;
        this.quantum = Math.max(1, config.maxMemory() / config.maxEntries());
        this.store = Caffeine.newBuilder()
            .maximumWeight(config.maxMemory())
            .weigher((String k, Variants v) -> (int)Math.min(Integer.MAX_VALUE, v.weight(quantum)))
            .expireAfter(EntryExpiry.afterWrite((String key, Variants value) -> nanosUntil(value.retainUntil())))
            .ticker(() -> clock.millis() * 1_000_000L)
            .executor(Runnable::run)
            .removalListener((String k, Variants v, RemovalCause cause) ->
            {
                if (cause.wasEvicted() && v != null)
                    evictions.inc(v.list().size());
            })
            .build();
    }

    private long nanosUntil(long epochMillis)
    {
        long ms = epochMillis - clock.millis();
        return Math.max(1, Math.min(ms, Long.MAX_VALUE / 1_000_000L)) * 1_000_000L;
    }

    public long now()
    {
        return clock.millis();
    }

    /** Applies new bounds after a reload. */
    public void resize(CacheConfig config)
    {
        long q = Math.max(1, config.maxMemory() / config.maxEntries());
        boolean reweigh = q != quantum;
        quantum = q;
        store.policy().eviction().ifPresent(e -> e.setMaximum(config.maxMemory()));
        if (reweigh)
        {
            // entries keep the weight they were given: weigh them again under the new minimum
            for (String key : new ArrayList<>(store.asMap().keySet()))
                store.asMap().computeIfPresent(key, (k, v) -> new Variants(v.list()));
        }
    }

    /** The newest variant under {@code key} whose Vary selection matches the request, or null. */
    public StoredResponse lookup(String key, Function<String, List<String>> requestHeaders)
    {
        Variants v = store.getIfPresent(key);
        if (v == null)
            return null;
        for (StoredResponse r : v.list())
        {
            if (Vary.matches(r.vary, requestHeaders))
                return r;
        }
        return null;
    }

    public boolean hasKey(String key)
    {
        return store.getIfPresent(key) != null;
    }

    /** Stores a response, replacing the variant with the same selecting headers and values. */
    public void store(StoredResponse response)
    {
        stores.inc();
        store.asMap().compute(response.key, (k, old) ->
        {
            List<StoredResponse> list = new ArrayList<>(MAX_VARIANTS);
            list.add(response);
            if (old != null)
            {
                for (StoredResponse r : old.list())
                {
                    if (!r.vary.equals(response.vary) && list.size() < MAX_VARIANTS)
                        list.add(r);
                }
            }
            return new Variants(List.copyOf(list));
        });
    }

    /** Replaces a stored variant by its freshened copy (or stores the copy if the old one is gone). */
    public void replace(StoredResponse old, StoredResponse fresh)
    {
        store.asMap().compute(fresh.key, (k, current) ->
        {
            List<StoredResponse> list = new ArrayList<>();
            list.add(fresh);
            if (current != null)
            {
                for (StoredResponse r : current.list())
                {
                    if (r != old && !r.vary.equals(fresh.vary))
                        list.add(r);
                }
            }
            return new Variants(List.copyOf(list));
        });
    }

    /**
     * The result of a background refresh of {@code stale}: a 304 freshens it, a storable response
     * replaces it, anything else leaves it as it is. {@code request} holds the request's header
     * fields (for Vary and Authorization).
     */
    public void refreshed(StoredResponse stale, HttpFields request, int status, HttpFields headers, byte[] body,
                          long requestTime, long responseTime)
    {
        if (status == 304)
        {
            if (Conditional.selects(headers, stale.headers))
            {
                replace(stale, stale.freshen(headers, requestTime, responseTime));
                revalidated.inc();
            }
            return;
        }
        if (body == null)
            return;
        CacheControl requestCc = CacheControl.parse(request.getValuesList("Cache-Control"));
        CacheControl cc = CacheControl.parse(headers.getValuesList("Cache-Control"));
        if (Storability.refusal("GET", requestCc, request.contains("Authorization"), false, status, headers, cc) != null)
            return;
        Map<String, String> vary = Vary.selecting(headers.getValuesList("Vary"), request::getValuesList);
        store(StoredResponse.of(stale.key, status, headers, null, body, requestTime, responseTime, vary));
    }

    /** Removes every variant of a key; returns how many. */
    public int invalidate(String key)
    {
        Variants v = store.asMap().remove(key);
        return v == null ? 0 : v.list().size();
    }

    /** Removes the entries whose host + path matches the glob; returns how many variants. */
    public int purge(Glob hostAndPath)
    {
        int n = 0;
        for (String key : new ArrayList<>(store.asMap().keySet()))
        {
            if (hostAndPath.matches(CacheKey.hostAndPath(key)))
                n += invalidate(key);
        }
        return n;
    }

    public int clear()
    {
        int n = entries();
        store.invalidateAll();
        return n;
    }

    /** Stored variants. */
    public int entries()
    {
        int n = 0;
        for (Variants v : store.asMap().values())
            n += v.list().size();
        return n;
    }

    /** Bytes of stored responses (headers, bodies, keys). */
    public long bytes()
    {
        long n = 0;
        for (Variants v : store.asMap().values())
        {
            for (StoredResponse r : v.list())
                n += r.size;
        }
        return n;
    }

    /**
     * Request collapsing: {@code mine} becomes the flight for its key and null is returned (the
     * caller leads: it goes upstream and must {@link #land} it), or the flight already under way
     * is returned (the caller may wait for it).
     */
    public Flight lead(Flight mine)
    {
        if (draining)
            return null; // no new waiters while the proxy drains: every miss goes upstream itself
        return flights.putIfAbsent(mine.key, mine);
    }

    /**
     * The proxy is draining (graceful stop): every waiting follower is let go at once (it goes
     * upstream itself, or is served what its leader stored), and no request waits from now on,
     * so waiters never hold up the drain.
     */
    public void releaseWaiters()
    {
        draining = true;
        for (Flight f : flights.values())
            land(f);
    }

    /** The leader is done (stored or not): its waiting followers are woken. */
    public void land(Flight flight)
    {
        flights.remove(flight.key, flight);
        flight.complete();
    }

    /** True for the one caller that may start the background refresh of this key. */
    public boolean startRefresh(String key)
    {
        return refreshing.putIfAbsent(key, Boolean.TRUE) == null;
    }

    public void endRefresh(String key)
    {
        refreshing.remove(key);
    }

    public void cleanUp()
    {
        store.cleanUp();
    }

    /** Publishes the counters and gauges under {@code cache.*} in the shared registry. */
    public void register(MetricRegistry registry)
    {
        CacheStats.register(this, registry);
    }

    /** The stats object of {@code GET /admin/cache/stats}. */
    public String statsJson()
    {
        return CacheStats.json(this);
    }
}
