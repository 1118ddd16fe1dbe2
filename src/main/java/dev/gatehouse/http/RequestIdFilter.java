package dev.gatehouse.http;

import java.io.IOException;

import dev.gatehouse.web.GatehouseContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

/**
 * First in the chain: chooses the request id (a well-formed incoming {@code X-Request-ID} or a
 * new one), and puts it and {@code X-Proxy-ID} on the response before anything can fail.
 */
public class RequestIdFilter extends HttpFilter
{
    public static final String MDC_KEY = "request_id";

    private transient GatehouseContext context;

    @Override
    public void init() throws ServletException
    {
        context = GatehouseContext.from(getServletContext());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        String id = RequestIds.choose(request.getHeader(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, id);
        OwnHeaders.set(request, response, RequestIds.HEADER, id);
        OwnHeaders.set(request, response, RequestIds.PROXY_ID_HEADER, context.config().proxyId());
        MDC.put(MDC_KEY, id);
        try
        {
            chain.doFilter(request, response);
        }
        finally
        {
            MDC.remove(MDC_KEY);
        }
    }
}
