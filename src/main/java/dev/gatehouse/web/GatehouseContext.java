package dev.gatehouse.web;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.ContextAttributes;
import dev.gatehouse.routing.Dispatch;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The running configuration of one Gatehouse instance: the current snapshot (configuration plus
 * compiled policy and routes, swapped atomically, never mutated) and the watcher that reloads it.
 * Stored as a servlet context attribute, so the same code works embedded and in a WAR. The
 * components that outlive a reload (rate limiter, upstream pools, cache, metrics) are not here:
 * each publishes itself as its own attribute, and follows reloads through {@link #onSwap}.
 */
public final class GatehouseContext
{
    public static final String ATTRIBUTE = GatehouseContext.class.getName();

    private final AtomicReference<Snapshot> snapshot;
    private final List<Consumer<Snapshot>> swapListeners = new CopyOnWriteArrayList<>();
    private volatile ConfigWatcher watcher;
    private volatile String sharedAdminPrefix;

    public GatehouseContext(Snapshot snapshot)
    {
        this.snapshot = new AtomicReference<>(Objects.requireNonNull(snapshot));
    }

    public Snapshot snapshot()
    {
        return snapshot.get();
    }

    public GatehouseConfig config()
    {
        return snapshot.get().config();
    }

    /** Called with each new snapshot before it is swapped in (for components that resize or re-target). */
    public void onSwap(Consumer<Snapshot> listener)
    {
        swapListeners.add(Objects.requireNonNull(listener));
    }

    /** Replaces the snapshot; requests already running keep the one they started with. */
    public void swap(Snapshot next)
    {
        Objects.requireNonNull(next);
        for (Consumer<Snapshot> listener : swapListeners)
            listener.accept(next);
        snapshot.set(next);
    }

    /**
     * In a WAR the admin endpoints share the application's port under {@code admin.path-prefix};
     * this returns that prefix there (the proxy's policy filters leave those paths to the admin
     * ACL), and null for the embedded server, whose admin listener is separate.
     */
    public String sharedAdminPrefix()
    {
        return sharedAdminPrefix;
    }

    public void sharedAdminPrefix(String prefix)
    {
        this.sharedAdminPrefix = prefix;
    }

    /** True for a request to the admin endpoints on the application's own port (WAR mode). */
    public boolean isAdminRequest(HttpServletRequest request)
    {
        String prefix = sharedAdminPrefix;
        return prefix != null && request.getRequestURI().startsWith(prefix)
            && !Dispatch.of(request, Snapshot.of(request, this)).isThrough();
    }

    public ConfigWatcher watcher()
    {
        return watcher;
    }

    public void watcher(ConfigWatcher watcher)
    {
        this.watcher = watcher;
    }

    /** Stops the file polling. */
    public void close()
    {
        ConfigWatcher w = watcher;
        if (w != null)
            w.close();
    }

    public static GatehouseContext from(ServletContext servletContext)
    {
        return ContextAttributes.required(servletContext, ATTRIBUTE, GatehouseContext.class);
    }
}
