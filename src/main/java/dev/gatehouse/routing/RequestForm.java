package dev.gatehouse.routing;

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

    /** True for a request target of the form {@code scheme://...}, whatever the scheme. */
    public static boolean isAbsoluteForm(String requestTarget)
    {
        if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) == '/')
            return false;
        int colon = requestTarget.indexOf("://");
        if (colon <= 0 || !Character.isLetter(requestTarget.charAt(0)))
            return false;
        for (int i = 1; i < colon; i++)
        {
            char c = requestTarget.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
                return false;
        }
        return true;
    }

    /** The schemes a forward request may name. */
    public static boolean isHttpScheme(String scheme)
    {
        return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }
}
