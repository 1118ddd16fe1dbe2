package dev.gatehouse.web;

/** Names shared by the embedded wiring and webapp-config/WEB-INF/web.xml. */
public final class Wiring
{
    public static final String PROXY_CONNECTOR = "proxy";
    public static final String ADMIN_CONNECTOR = "admin";
    public static final String REQUEST_ID_FILTER = "requestId";
    public static final String PROXY_SERVLET = "proxy";
    public static final String HEALTH_SERVLET = "health";

    private Wiring()
    {
    }
}
