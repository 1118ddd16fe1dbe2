package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.ContextFilter;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.web.Wiring;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Guards the endpoints the proxy serves itself (the CLI; in a WAR also the admin endpoints): a
 * request <em>through</em> the proxy ({@link Dispatch#isThrough()}) that the container mapped to one
 * of them by its path is handed to the proxy servlet instead, which forwards it or refuses it by
 * forward policy. Mapped by servlet name, so it runs after every policy filter of the chain; the
 * local servlet never sees such a request.
 */
public class LocalEndpointFilter extends ContextFilter
{

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        if (!Dispatch.of(request, Snapshot.of(request, context)).isThrough())
        {
            chain.doFilter(request, response);
            return;
        }
        RequestDispatcher proxy = getServletContext().getNamedDispatcher(Wiring.PROXY_SERVLET);
        if (proxy == null)
        {
            ErrorResponse.send(request, response, ErrorCode.BAD_REQUEST, "This listener does not forward requests");
            return;
        }
        proxy.forward(request, response);
    }
}
