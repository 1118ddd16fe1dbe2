package dev.gatehouse.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

import com.codahale.metrics.health.HealthCheckRegistry;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Json;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.web.GatehouseContext;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /health/liveness}, {@code /health/readiness} and {@code /health/startup}: JSON
 * {@code {"status":"UP",...}} with 200, or {@code "DOWN"} with 503. Mapped at {@code /health/*}.
 */
public class HealthServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        ServletContext servletContext = getServletContext();
        Health health = Health.from(servletContext);
        GatehouseConfig config = GatehouseContext.from(servletContext).config();
        String probe = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean up;
        String detail;
        switch (probe)
        {
            case "/liveness" ->
            {
                up = true;
                detail = "";
            }
            case "/readiness" ->
            {
                // readiness is the aggregate of the registered health checks (configuration,
                // listeners, routes, and whatever later features register)
                StringJoiner checks = new StringJoiner(",", ",\"checks\":{", "}");
                up = true;
                HealthCheckRegistry healthChecks = (HealthCheckRegistry)servletContext.getAttribute(HealthCheckServlet.HEALTH_CHECK_REGISTRY);
                for (var entry : healthChecks.runHealthChecks().entrySet())
                {
                    boolean healthy = entry.getValue().isHealthy();
                    up &= healthy;
                    checks.add(Json.quote(entry.getKey()) + ":{\"healthy\":" + healthy + ",\"message\":"
                        + Json.quote(entry.getValue().getMessage()) + "}");
                }
                detail = checks + routes(Upstreams.from(servletContext), config);
            }
            case "/startup" ->
            {
                up = health.isStarted();
                detail = "";
            }
            default ->
            {
                ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "No such health probe; use liveness, readiness or startup");
                return;
            }
        }
        String body = "{\"status\":\"" + state(up) + "\",\"proxy_id\":\"" + config.proxyId() + "\"" + detail + "}\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(up ? 200 : 503);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** {@code ,"routes":{"api":{"healthy":2,"total":3,"required":true}}}: available targets per route. */
    private static String routes(Upstreams upstreams, GatehouseConfig config)
    {
        StringJoiner routes = new StringJoiner(",", ",\"routes\":{", "}");
        for (RouteConfig route : config.routes())
        {
            UpstreamPool pool = upstreams.pool(route.name());
            routes.add(Json.quote(route.name()) + ":{\"healthy\":" + (pool == null ? 0 : pool.availableCount())
                + ",\"total\":" + route.targets().size() + ",\"required\":" + route.resilience().required() + "}");
        }
        return routes.toString();
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        doGet(request, response);
    }

    private static String state(boolean up)
    {
        return up ? "UP" : "DOWN";
    }
}
