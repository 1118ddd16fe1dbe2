package dev.gatehouse.cache;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.gatehouse.config.CacheConfig;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/** Request collapsing for {@link CacheFilter}: one miss per key goes upstream, the others wait without a thread. */
final class Collapsing
{
    private Collapsing()
    {
    }

    /**
     * Request collapsing: the first miss for a key leads (goes upstream); later ones wait
     * asynchronously, up to {@code cache.collapse-timeout}, then look again (served from what the
     * leader stored) or go upstream themselves. Returns true when this request waits.
     */
    static boolean waitFor(HttpServletRequest request, CacheExchange cx, CacheConfig config)
    {
        Flight mine = new Flight(cx.key);
        Flight running = cx.cache.lead(mine);
        if (running == null)
        {
            cx.flight = mine;
            return false;
        }
        cx.cache.collapsed.inc();
        AsyncContext async = request.startAsync();
        async.setTimeout(Math.max(1, config.collapseTimeout().toMillis()));
        AtomicBoolean resumed = new AtomicBoolean();
        async.addListener(new AsyncListener()
        {
            @Override
            public void onTimeout(AsyncEvent event)
            {
                if (resumed.compareAndSet(false, true))
                {
                    cx.mode = CacheExchange.Mode.PASS;
                    async.dispatch();
                }
            }

            @Override
            public void onComplete(AsyncEvent event)
            {
            }

            @Override
            public void onError(AsyncEvent event)
            {
            }

            @Override
            public void onStartAsync(AsyncEvent event)
            {
            }
        });
        cx.mode = CacheExchange.Mode.LOOKUP;
        Runnable wake = () ->
        {
            if (resumed.compareAndSet(false, true))
                async.dispatch();
        };
        if (!running.join(wake))
            wake.run();
        return true;
    }

    /**
     * The leader's filter pass is over: its flight lands when its request completes (whatever the
     * outcome: stored, not storable, failed, refused, abandoned by the client), or now when the
     * request is already done. A leader never leaves its followers waiting for the timeout.
     */
    static void landWhenDone(HttpServletRequest request, CacheExchange cx)
    {
        if (request.isAsyncStarted())
        {
            try
            {
                request.getAsyncContext().addListener(new Lander(cx));
                return;
            }
            catch (IllegalStateException x)
            {
                // completed in the meantime (a failure answered on another thread): land now
            }
        }
        cx.land();
    }

    /** Lands the leader's flight when its request completes, stored or not. */
    record Lander(CacheExchange cx) implements AsyncListener
    {
        @Override
        public void onComplete(AsyncEvent event)
        {
            cx.land();
        }

        @Override
        public void onTimeout(AsyncEvent event)
        {
            cx.land();
        }

        @Override
        public void onError(AsyncEvent event)
        {
            cx.land();
        }

        @Override
        public void onStartAsync(AsyncEvent event)
        {
            event.getAsyncContext().addListener(this);
        }
    }
}
