package dev.gatehouse.http;

import jakarta.servlet.ServletContext;

/**
 * Each shared component of an instance publishes itself as its own servlet-context attribute
 * (named after its class, as Dropwizard's servlets find their registries); this looks one up.
 */
public final class ContextAttributes
{
    private ContextAttributes()
    {
    }

    /** The component stored under {@code name}; fails when the application did not publish it. */
    public static <T> T required(ServletContext servletContext, String name, Class<T> type)
    {
        Object value = servletContext.getAttribute(name);
        if (type.isInstance(value))
            return type.cast(value);
        throw new IllegalStateException("Gatehouse is not initialised in this context: " + name + " is missing");
    }
}
