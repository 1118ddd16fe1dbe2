package dev.gatehouse.http;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Response headers the proxy itself sets (request id, proxy id, security headers, rate-limit
 * headers). They are recorded on the request so that an error response, which resets whatever the
 * upstream had sent, can put them back.
 */
public final class OwnHeaders
{
    static final String ATTRIBUTE = "dev.gatehouse.ownHeaders";

    private OwnHeaders()
    {
    }

    public static void set(HttpServletRequest request, HttpServletResponse response, String name, String value)
    {
        response.setHeader(name, value);
        record(request, name, value);
    }

    /** Records a header for the error response this request is about to get (no response at hand). */
    public static void record(HttpServletRequest request, String name, String value)
    {
        @SuppressWarnings("unchecked")
        Map<String, String> own = (Map<String, String>)request.getAttribute(ATTRIBUTE);
        if (own == null)
        {
            own = new LinkedHashMap<>(8);
            request.setAttribute(ATTRIBUTE, own);
        }
        own.put(name, value);
    }

    /**
     * Puts a field that comes from elsewhere (the upstream's response, a stored one) on a response
     * that holds only the proxy's own fields so far, and the fields the container puts on every
     * response before the application runs ({@link #presetByContainer}): it replaces the proxy's or
     * the container's field of that name, if there is one, and is otherwise added, without a search
     * of the response for a field to replace. For the first field of a name; further fields of it
     * are added.
     */
    public static void replaceOrAdd(HttpServletRequest request, HttpServletResponse response, String name, String value)
    {
        if (presetByContainer(name) || has(request, name))
            response.setHeader(name, value);
        else
            response.addHeader(name, value);
    }

    /**
     * The fields a container may put on a response before the application sees it: Jetty adds
     * {@code Date}, {@code Server} and {@code X-Powered-By} when the request arrives (its
     * {@code sendDateHeader}, {@code sendServerVersion}, {@code sendXPoweredBy}). The upstream's or
     * the stored response's own replaces them: a response carries one {@code Date}, the origin's.
     */
    static boolean presetByContainer(String name)
    {
        return switch (name.length())
        {
            case 4 -> name.equalsIgnoreCase("Date");
            case 6 -> name.equalsIgnoreCase("Server");
            case 12 -> name.equalsIgnoreCase("X-Powered-By");
            default -> false;
        };
    }

    /** Whether the proxy has set a header of this name (case-insensitive) on the request's response. */
    private static boolean has(HttpServletRequest request, String name)
    {
        @SuppressWarnings("unchecked")
        Map<String, String> own = (Map<String, String>)request.getAttribute(ATTRIBUTE);
        if (own == null)
            return false;
        for (String n : own.keySet())
        {
            if (n.equalsIgnoreCase(name))
                return true;
        }
        return false;
    }

    /** Puts the recorded headers back on a response that was reset. */
    static void restore(HttpServletRequest request, HttpServletResponse response)
    {
        @SuppressWarnings("unchecked")
        Map<String, String> own = (Map<String, String>)request.getAttribute(ATTRIBUTE);
        if (own != null)
            own.forEach(response::setHeader);
    }
}
