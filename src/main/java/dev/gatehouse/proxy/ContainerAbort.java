package dev.gatehouse.proxy;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.AccessLog;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the client connection of a response that has already started, where the servlet API has
 * no way to say so. Jetty does it for {@code sendError(-1)} (the proxy servlet's default path);
 * Tomcat would instead end a chunked response normally, so a truncated body would look complete.
 * For Tomcat this reaches its connector response and asks it to close the connection now, the
 * same action Tomcat takes itself on an I/O error.
 */
final class ContainerAbort
{
    private static final Logger LOG = LoggerFactory.getLogger(ContainerAbort.class);
    private static final String TOMCAT_FACADE = "org.apache.catalina.connector.ResponseFacade";

    private ContainerAbort()
    {
    }

    /**
     * The upstream failed after the client's response was committed. The client already has part
     * of a response: closing the connection is the only honest signal; a terminated chunked body
     * would look complete. Returns true when the connection was closed here (the request is then
     * complete); false leaves it to Jetty's {@code sendError(-1)}.
     */
    static boolean abortCommitted(HttpServletRequest clientToProxyRequest, HttpServletResponse proxyToClientResponse, Throwable failure)
    {
        LOG.debug("[{}] upstream failed after the response was committed; aborting the client connection",
            RequestIds.of(clientToProxyRequest), failure);
        AccessLog.recordNow(clientToProxyRequest);
        if (!abort(proxyToClientResponse))
            return false;
        if (clientToProxyRequest.isAsyncStarted())
            clientToProxyRequest.getAsyncContext().complete();
        return true;
    }

    /** Returns true when the connection was closed here; false leaves it to the caller. */
    static boolean abort(ServletResponse response)
    {
        ServletResponse r = response;
        while (r instanceof ServletResponseWrapper wrapper)
            r = wrapper.getResponse();
        if (!TOMCAT_FACADE.equals(r.getClass().getName()))
            return false;
        try
        {
            Field field = r.getClass().getDeclaredField("response");
            field.setAccessible(true);
            Object catalinaResponse = field.get(r);
            Object coyoteResponse = catalinaResponse.getClass().getMethod("getCoyoteResponse").invoke(catalinaResponse);
            ClassLoader loader = coyoteResponse.getClass().getClassLoader();
            @SuppressWarnings({"unchecked", "rawtypes"})
            Class<Enum> actionCode = (Class<Enum>)Class.forName("org.apache.coyote.ActionCode", false, loader);
            @SuppressWarnings("unchecked")
            Object closeNow = Enum.valueOf(actionCode, "CLOSE_NOW");
            Method action = coyoteResponse.getClass().getMethod("action", actionCode, Object.class);
            action.invoke(coyoteResponse, closeNow, null);
            return true;
        }
        catch (ReflectiveOperationException | RuntimeException x)
        {
            LOG.debug("cannot abort the Tomcat response", x);
            return false;
        }
    }
}
