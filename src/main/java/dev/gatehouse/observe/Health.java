package dev.gatehouse.observe;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.gatehouse.http.ContextAttributes;
import jakarta.servlet.ServletContext;

/** Process health as the probes report it. Later capabilities add upstream and cache checks. */
public final class Health
{
    /** The servlet-context attribute under which the application publishes the process health the probes report. */
    public static final String ATTRIBUTE = Health.class.getName();

    /** The process health the probes report published in this servlet context. */
    public static Health from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, Health.class);
    }

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
