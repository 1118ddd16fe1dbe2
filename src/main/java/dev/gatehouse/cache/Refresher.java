package dev.gatehouse.cache;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Refreshes a stale response in the background (stale-while-revalidate). The proxy servlet
 * provides it, so the refresh goes where the request would go (the route's pool, its breakers).
 * {@code done} must run exactly once when the refresh ends, however it ends.
 */
@FunctionalInterface
public interface Refresher
{
    /** The servlet-context attribute under which the proxy servlet publishes its refresher. */
    String ATTRIBUTE = Refresher.class.getName();

    /** Called on the request thread; must take from {@code request} all it needs before returning. */
    void refresh(HttpServletRequest request, StoredResponse stale, Runnable done);

    Refresher NONE = (request, stale, done) -> done.run();

    /** The refresher the proxy servlet published in this servlet context, or {@link #NONE} before it started. */
    static Refresher from(ServletContext servletContext)
    {
        return servletContext.getAttribute(ATTRIBUTE) instanceof Refresher r ? r : NONE;
    }
}
