package dev.gatehouse.cache;

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
        registry.register("cache.hits", c.hits);
        registry.register("cache.misses", c.misses);
        registry.register("cache.stale", c.stale);
        registry.register("cache.revalidated", c.revalidated);
        registry.register("cache.evictions", c.evictions);
        registry.register("cache.stores", c.stores);
        registry.register("cache.bypasses", c.bypasses);
        registry.register("cache.collapsed", c.collapsed);
        registry.register("cache.entries", (Gauge<Integer>)c::entries);
        registry.register("cache.bytes", (Gauge<Long>)c::bytes);
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
        return String.format(java.util.Locale.ROOT, "%.4f", d);
    }
}
