package dev.gatehouse.filter;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gatehouse.config.LogConfig;
import dev.gatehouse.http.ByteCounts;
import dev.gatehouse.http.Failures;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.http.TraceContext;
import dev.gatehouse.observe.AccessLog;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.observe.LogFields;
import dev.gatehouse.observe.LogValues;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.proxy.Exchange;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import dev.gatehouse.web.Wiring;
import dev.gatehouse.websocket.WebSocketProxy;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Records every proxied request when it completes (also asynchronously completed ones): the
 * Prometheus/dashboard metrics, and one access log line on the logger {@code gatehouse.access}
 * with flat JSON fields (numbers as numbers). Credentials are never logged: no request header
 * other than User-Agent is, and query parameters named in {@code log.redact} are masked.
 */
public class AccessLogFilter extends MeteredFilter
{
    private static final Logger ACCESS = LoggerFactory.getLogger(AccessLog.LOGGER);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        if (context.isAdminRequest(request))
        {
            // scrapes and probes of a WAR's admin endpoints are not proxied traffic
            chain.doFilter(request, response);
            return;
        }
        Recorder recordOnce = new Recorder(request, response, System.nanoTime());
        // an exchange that ends by dropping the connection may never complete asynchronously: the proxy records it first
        request.setAttribute(AccessLog.RECORD_NOW_ATTRIBUTE, recordOnce);
        try
        {
            chain.doFilter(request, response);
        }
        finally
        {
            if (request.isAsyncStarted())
            {
                request.getAsyncContext().addListener(new AsyncListener()
                {
                    @Override
                    public void onComplete(AsyncEvent event)
                    {
                        recordOnce.run();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event)
                    {
                        // onComplete follows
                    }

                    @Override
                    public void onError(AsyncEvent event)
                    {
                        // onComplete follows
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event)
                    {
                        // the request went async again (after an async dispatch): keep listening
                        event.getAsyncContext().addListener(this);
                    }
                });
            }
            else
            {
                recordOnce.run();
            }
        }
    }

    /** Served by an endpoint of the proxy itself (the CLI), not by the proxy servlet. */
    private static boolean isLocalEndpoint(HttpServletRequest request)
    {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping != null && mapping.getServletName() != null && !Wiring.PROXY_SERVLET.equals(mapping.getServletName());
    }

    /** Writes the request's line and metrics once, whichever of completion or {@link #recordNow} comes first. */
    private final class Recorder extends AtomicBoolean implements Runnable
    {
        private final transient HttpServletRequest request;
        private final transient HttpServletResponse response;
        private final long start;

        Recorder(HttpServletRequest request, HttpServletResponse response, long start)
        {
            this.request = request;
            this.response = response;
            this.start = start;
        }

        @Override
        public void run()
        {
            if (compareAndSet(false, true))
                record(request, response, start);
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, long start)
    {
        long nanos = System.nanoTime() - start;
        Snapshot snapshot = Snapshot.of(request, context);
        Dispatch dispatch = Dispatch.of(request, snapshot);
        // served by an endpoint of the proxy itself: never logged as forwarded (in a WAR the request
        // form is unknown, so a local request naming another host dispatches as FORWARD)
        boolean local = !dispatch.isThrough() && isLocalEndpoint(request);
        String route = local ? "local" : switch (dispatch.kind())
        {
            case ROUTE -> dispatch.route().name();
            case FORWARD -> "forward";
            case NONE, UNSUPPORTED_SCHEME -> "none";
        };
        int status = response.getStatus();
        ByteCounts counts = ByteCounts.of(request);
        long received = counts.received;
        long sent = counts.sent > 0 ? counts.sent : contentLength(response);
        metrics.request(request.getMethod(), status, route, nanos, received, sent);
        LogConfig log = snapshot.config().log();
        // a WebSocket session gets its line when it closes, with its duration and byte counts
        if (!log.accessEnabled() || !ACCESS.isInfoEnabled() || request.getAttribute(WebSocketProxy.UPGRADED_ATTRIBUTE) != null)
            return;
        Exchange exchange = Exchange.of(request);
        String upstream = exchange != null ? exchange.lastTarget()
            : dispatch.isForward() && !local ? request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort() : null;
        String url = LogValues.safe(request.getRequestURI() + AccessLog.redactQuery(request.getQueryString(), log.redact()), 2048);
        long ms = nanos / 1_000_000;
        // the request id is a field of the line itself: keep the request thread's MDC copy out of it
        String mdcId = MDC.get(RequestIdFilter.MDC_KEY);
        if (mdcId != null)
            MDC.remove(RequestIdFilter.MDC_KEY);
        try
        {
            logLine(request, status, url, ms, snapshot, sent, received, route, upstream, response.getHeader("X-Cache-Status"));
        }
        finally
        {
            if (mdcId != null)
                MDC.put(RequestIdFilter.MDC_KEY, mdcId);
        }
    }

    private static void logLine(HttpServletRequest request, int status, String url, long ms, Snapshot snapshot, long sent,
                                long received, String route, String upstream, String cache)
    {
        String requestId = RequestIds.of(request);
        // JSON: the fields carry everything and the message is a cheap summary; text: the
        // message shows the fields a human reads first (formatting costs more).
        String message = snapshot.config().log().format().equals("json")
            ? request.getMethod() + ' ' + url + ' ' + status + ' ' + ms + "ms"
            : request.getMethod() + ' ' + url + ' ' + status + ' ' + ms + "ms request_id=" + requestId
                + " route=" + route + " bytes_sent=" + sent;
        ACCESS.info(message, LogFields.of("method", request.getMethod(), "url", url, "status", status, "duration_ms", ms,
            "request_id", requestId,
            "trace_id", request.getAttribute(TraceContext.TRACE_ID_ATTRIBUTE),
            "client_ip", ClientAddress.of(request, snapshot.policy()),
            "bytes_sent", sent,
            "bytes_received", received,
            "route", route,
            "upstream", upstream == null ? "-" : LogValues.safe(upstream, 256),
            "user_agent", LogValues.safe(request.getHeader("User-Agent"), 256),
            "cache", cache == null ? "-" : cache,
            "upstream_error", request.getAttribute(Failures.UPSTREAM_ERROR_ATTRIBUTE) instanceof String e ? e : "-"));
    }

    private static long contentLength(HttpServletResponse response)
    {
        String length = response.getHeader("Content-Length");
        try
        {
            return length == null ? 0 : Long.parseLong(length);
        }
        catch (NumberFormatException x)
        {
            return 0;
        }
    }
}
