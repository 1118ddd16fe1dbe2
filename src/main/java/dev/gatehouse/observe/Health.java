package dev.gatehouse.observe;

import java.util.concurrent.atomic.AtomicBoolean;

/** Process health as the probes report it. Later capabilities add upstream and cache checks. */
public final class Health
{
    private final AtomicBoolean configLoaded = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public void configLoaded()
    {
        configLoaded.set(true);
    }

    public void started()
    {
        started.set(true);
    }

    public void stopping()
    {
        stopping.set(true);
    }

    public boolean isStarted()
    {
        return started.get();
    }

    public boolean isConfigLoaded()
    {
        return configLoaded.get();
    }

    public boolean isStopping()
    {
        return stopping.get();
    }
}
