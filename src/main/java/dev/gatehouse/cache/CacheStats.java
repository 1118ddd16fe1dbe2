package dev.gatehouse.cache;

import java.util.Locale;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;

/** The cache's numbers: registry metrics and the admin stats JSON. */
final class CacheStats
{
    private CacheStats()
    {
    }

    /** Publishes the counters and gauges under {@code cache.*}. */
    static void register(ResponseCache c, MetricRegistry registry)
    {
        registry.register("gatehouse.cache.hits", c.hits);
        registry.register("gatehouse.cache.misses", c.misses);
        registry.register("gatehouse.cache.stale", c.stale);
        registry.register("gatehouse.cache.revalidated", c.revalidated);
        registry.register("gatehouse.cache.evictions", c.evictions);
        registry.register("gatehouse.cache.stores", c.stores);
        registry.register("gatehouse.cache.bypasses", c.bypasses);
        registry.register("gatehouse.cache.collapsed", c.collapsed);
        registry.register("gatehouse.cache.entries", (Gauge<Integer>)c::entries);
        registry.register("gatehouse.cache.bytes", (Gauge<Long>)c::bytes);
    }

    /** The stats object of {@code GET /admin/cache/stats}. */
    static String json(ResponseCache c)
    {
        long h = c.hits.getCount();
        long m = c.misses.getCount();
        long st = c.stale.getCount();
        long rv = c.revalidated.getCount();
        long lookups = h + m + st + rv;
        double hitRate = lookups == 0 ? 0 : (double)(h + st + rv) / lookups;
        double missRate = lookups == 0 ? 0 : (double)m / lookups;
        return "{\"entries\":" + c.entries() + ",\"size_bytes\":" + c.bytes()
            + ",\"hit_rate\":" + round(hitRate) + ",\"miss_rate\":" + round(missRate)
            + ",\"hits\":" + h + ",\"misses\":" + m + ",\"stale\":" + st + ",\"revalidated\":" + rv
            + ",\"evictions\":" + c.evictions.getCount() + ",\"stores\":" + c.stores.getCount() + ",\"bypasses\":" + c.bypasses.getCount()
            + ",\"collapsed\":" + c.collapsed.getCount() + "}\n";
    }

    private static String round(double d)
    {
        return String.format(Locale.ROOT, "%.4f", d);
    }
}
