package dev.gatehouse.web;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.observe.Health;
import jakarta.servlet.ServletContext;

/**
 * What the filters and servlets of one Gatehouse instance share: the current configuration
 * snapshot (swapped atomically, never mutated) and the health state. Stored as a servlet context
 * attribute, so the same wiring works embedded and in a WAR.
 */
public final class GatehouseContext
{
    public static final String ATTRIBUTE = GatehouseContext.class.getName();

    private final AtomicReference<GatehouseConfig> config;
    private final Health health = new Health();

    public GatehouseContext(GatehouseConfig config)
    {
        this.config = new AtomicReference<>(Objects.requireNonNull(config));
    }

    public GatehouseConfig config()
    {
        return config.get();
    }

    /** Replaces the snapshot; requests already running keep the one they started with. */
    public void swap(GatehouseConfig next)
    {
        config.set(Objects.requireNonNull(next));
    }

    public Health health()
    {
        return health;
    }

    public static GatehouseContext from(ServletContext servletContext)
    {
        Object value = servletContext.getAttribute(ATTRIBUTE);
        if (value instanceof GatehouseContext context)
            return context;
        throw new IllegalStateException("Gatehouse is not initialised in this context: " + ATTRIBUTE + " is missing");
    }
}
