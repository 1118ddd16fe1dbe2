package dev.gatehouse.http;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stopping Gatehouse's own background threads. */
public final class BackgroundThreads
{
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundThreads.class);

    private BackgroundThreads()
    {
    }

    /**
     * Interrupts the executor's tasks and waits (up to five seconds) until its threads have ended:
     * a webapp being undeployed must leave no thread of its own behind when its listener returns,
     * or the container reports a leak (and the thread pins the webapp's class loader).
     */
    public static void stopNow(ExecutorService executor)
    {
        executor.shutdownNow();
        try
        {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS))
                LOG.warn("a background thread did not stop within 5 s");
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
        }
    }
}
