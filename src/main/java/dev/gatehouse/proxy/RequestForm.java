package dev.gatehouse.proxy;

/**
 * Absolute-form ({@code GET http://host/path HTTP/1.1}) versus origin-form ({@code GET /path}).
 * The embedded server's connections record the form as a request attribute; a servlet container
 * that does not (Tomcat) leaves the proxy to decide by destination instead.
 */
public final class RequestForm
{
    /** Request attribute: {@code Boolean.TRUE} for absolute-form, {@code FALSE} for origin-form, absent if unknown. */
    public static final String ABSOLUTE_FORM_ATTRIBUTE = "dev.gatehouse.absoluteForm";

    private RequestForm()
    {
    }

    public static boolean isAbsoluteForm(String requestTarget)
    {
        if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) == '/')
            return false;
        return requestTarget.regionMatches(true, 0, "http://", 0, 7) || requestTarget.regionMatches(true, 0, "https://", 0, 8);
    }
}
