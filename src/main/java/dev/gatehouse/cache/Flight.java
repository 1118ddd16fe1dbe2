package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One miss on its way upstream; concurrent misses for the same key wait for it to land. */
public final class Flight
{
    private static final Logger LOG = LoggerFactory.getLogger(Flight.class);
    final String key;
    private List<Runnable> waiters = new ArrayList<>();

    public Flight(String key)
    {
        this.key = key;
    }

    /** Registers a waiter; false when the flight has already landed (the caller proceeds itself). */
    public synchronized boolean join(Runnable onLanded)
    {
        if (waiters == null)
            return false;
        waiters.add(onLanded);
        return true;
    }

    void complete()
    {
        List<Runnable> ready;
        synchronized (this)
        {
            ready = waiters;
            waiters = null;
        }
        if (ready == null)
            return;
        for (Runnable waiter : ready)
        {
            try
            {
                waiter.run();
            }
            catch (RuntimeException x)
            {
                // that waiter's request is gone (its client hung up); the others still go
                LOG.debug("{}: a waiter could not be woken", this, x);
            }
        }
    }

    @Override
    public String toString()
    {
        return "flight " + key;
    }
}
