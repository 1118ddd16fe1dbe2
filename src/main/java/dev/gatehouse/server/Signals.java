package dev.gatehouse.server;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT run a graceful stop and then exit with its status (0 when clean), instead of
 * the JVM's default 143. A second signal during the drain is ignored: the grace period bounds it.
 */
final class Signals
{
    private static final AtomicBoolean STOPPING = new AtomicBoolean();

    private Signals()
    {
    }

    static void onTermination(IntSupplier stop)
    {
        Runnable handler = () ->
        {
            if (!STOPPING.compareAndSet(false, true))
                return;
            Thread t = new Thread(() ->
            {
                int status = 1;
                try
                {
                    status = stop.getAsInt();
                }
                catch (Throwable x)
                {
                    x.printStackTrace();
                }
                finally
                {
                    // exit even when the stop failed: lingering non-daemon threads must not keep
                    // a stopped proxy alive
                    System.exit(status);
                }
            }, "gatehouse-stop");
            // not a daemon like the signal thread that creates it: once Jetty's threads have ended,
            // a daemon stop thread would be killed by the JVM's exit while it still drains the log
            t.setDaemon(false);
            t.start();
        };
        for (String name : new String[]{"TERM", "INT"})
        {
            try
            {
                Signal.handle(new Signal(name), s -> handler.run());
            }
            catch (IllegalArgumentException x)
            {
                // signal not available on this platform: the JVM default stays
            }
        }
    }
}
