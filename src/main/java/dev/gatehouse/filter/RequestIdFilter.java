package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.http.TraceContext;
import dev.gatehouse.web.ContextFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

/**
 * First in the chain: chooses the request id (a well-formed incoming {@code X-Request-ID} or a
 * new one), and puts it and {@code X-Proxy-ID} on the response before anything can fail; reads
 * or starts the W3C trace context.
 */
public class RequestIdFilter extends ContextFilter
{
    public static final String MDC_KEY = "request_id";


    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        String id = RequestIds.choose(request.getHeader(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, id);
        String traceId = TraceContext.traceId(request.getHeader(TraceContext.TRACEPARENT));
        if (traceId == null)
        {
            String created = TraceContext.newTraceparent();
            request.setAttribute(TraceContext.CREATED_ATTRIBUTE, created);
            traceId = created.substring(3, 35);
        }
        request.setAttribute(TraceContext.TRACE_ID_ATTRIBUTE, traceId);
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
