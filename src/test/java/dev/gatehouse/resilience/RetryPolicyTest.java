package dev.gatehouse.resilience;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.codahale.metrics.MetricRegistry;
import dev.gatehouse.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry decision: when, on which target, after what delay. */
class RetryPolicyTest
{
    private static UpstreamPool pool(String... kv)
    {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("routes", "r");
        m.put("routes.r.targets", "http://127.0.0.1:1, http://127.0.0.1:2");
        for (int i = 0; i < kv.length; i += 2)
            m.put("routes.r." + kv[i], kv[i + 1]);
        return new UpstreamPool(ConfigLoader.fromMap(m).routes().get(0), new MetricRegistry());
    }

    private static Supplier<Target> second(UpstreamPool pool, AtomicInteger asked)
    {
        return () ->
        {
            asked.incrementAndGet();
            return pool.targets().get(1);
        };
    }

    @Test
    void retriesAnIdempotentRequestWithoutBodyOnTheNextTarget()
    {
        UpstreamPool pool = pool("retry.max-attempts", "3", "retry.backoff", "10ms");
        pool.retryBudget().onRequest();
        AtomicInteger asked = new AtomicInteger();
        RetryPolicy.Decision decision = RetryPolicy.decide(pool, 1, "GET", false, true, second(pool, asked), "id");
        assertNotNull(decision);
        assertSame(pool.targets().get(1), decision.target());
        assertTrue(decision.delayMillis() >= 0 && decision.delayMillis() <= 10, "first retry waits at most the backoff");
        assertEquals(1, asked.get());
    }

    @Test
    void doesNotRetryOnceTheAttemptsAreUsed()
    {
        UpstreamPool pool = pool("retry.max-attempts", "2");
        AtomicInteger asked = new AtomicInteger();
        assertNull(RetryPolicy.decide(pool, 2, "GET", false, true, second(pool, asked), "id"));
        assertEquals(0, asked.get(), "no target is taken for a retry that does not happen");
    }

    @Test
    void neverRetriesARequestWithABodyOrAFailureThatIsNotRetryable()
    {
        UpstreamPool pool = pool("retry.max-attempts", "3", "retry.non-idempotent", "true");
        AtomicInteger asked = new AtomicInteger();
        assertNull(RetryPolicy.decide(pool, 1, "POST", true, true, second(pool, asked), "id"));
        assertNull(RetryPolicy.decide(pool, 1, "GET", false, false, second(pool, asked), "id"));
        assertEquals(0, asked.get());
    }

    @Test
    void retriesNonIdempotentMethodsOnlyWhenTheRouteOptsIn()
    {
        AtomicInteger asked = new AtomicInteger();
        UpstreamPool strict = pool("retry.max-attempts", "3");
        assertNull(RetryPolicy.decide(strict, 1, "POST", false, true, second(strict, asked), "id"));
        UpstreamPool lenient = pool("retry.max-attempts", "3", "retry.non-idempotent", "true");
        assertNotNull(RetryPolicy.decide(lenient, 1, "POST", false, true, second(lenient, asked), "id"));
    }

    @Test
    void doesNotRetryWithoutAnotherTarget()
    {
        UpstreamPool pool = pool("retry.max-attempts", "3");
        assertNull(RetryPolicy.decide(pool, 1, "GET", false, true, () -> null, "id"));
    }
}
