package dev.gatehouse.observe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.RouteConfig;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Json;
import dev.gatehouse.resilience.Target;
import dev.gatehouse.resilience.UpstreamPool;
import dev.gatehouse.resilience.Upstreams;
import dev.gatehouse.web.GatehouseContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

/**
 * The live dashboard of the admin listener. Mapped at {@code /} (the admin context's default
 * servlet) and {@code /dashboard.json}:
 * <ul>
 * <li>{@code GET /}, {@code /index.html}: the page, from the classpath folder {@value #ASSETS}</li>
 * <li>{@code GET /<name>.js}, {@code /<name>.css}: the page's scripts and styles from the same folder</li>
 * <li>{@code GET /dashboard.json}: a snapshot of the cumulative totals, the connection gauges and
 * every route's upstream targets (health, breaker state, in-flight requests); the page polls it
 * and computes rates from successive samples</li>
 * </ul>
 * Anything else is the JSON 404. Nothing is cached by clients ({@code Cache-Control: no-store}).
 * Under a prefix mapping (e.g. {@code /_gatehouse/*} in a WAR) the same paths follow the prefix;
 * the page uses relative URLs only.
 */
public class DashboardServlet extends HttpServlet
{
    /** Classpath folder of the page and its assets. */
    public static final String ASSETS = "/gatehouse/dashboard/";
    /** Page and assets may load only from the admin listener itself. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Pattern ASSET = Pattern.compile("/[a-z0-9][a-z0-9-]*\\.(js|css|html)");
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html;charset=utf-8",
        "js", "text/javascript;charset=utf-8",
        "css", "text/css;charset=utf-8");

    /** Assets found so far (misses are not remembered, so made-up names cannot grow this). */
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        // default mapping "/": the path is the servlet path; a prefix mapping (a WAR's admin prefix): the path info
        boolean prefixMapped = request.getHttpServletMapping().getMappingMatch() == MappingMatch.PATH;
        String path = prefixMapped ? request.getPathInfo() : request.getServletPath();
        if (path == null)
        {
            // "/_gatehouse" without the slash: the page's relative URLs need it
            response.setHeader("Cache-Control", "no-store");
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        if (path.equals("/dashboard.json"))
        {
            ServletContext servletContext = getServletContext();
            byte[] body = json(GatehouseContext.from(servletContext).config(), GatehouseMetrics.from(servletContext),
                Upstreams.from(servletContext)).getBytes(StandardCharsets.UTF_8);
            write(response, "application/json", body);
            return;
        }
        if (path.isEmpty() || path.equals("/"))
            path = "/index.html";
        if (ASSET.matcher(path).matches())
        {
            byte[] asset = assets.get(path);
            if (asset == null && (asset = load(path)) != null)
                assets.put(path, asset);
            if (asset != null)
            {
                String extension = path.substring(path.lastIndexOf('.') + 1);
                response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                write(response, TYPES.get(extension), asset);
                return;
            }
        }
        ErrorResponse.send(request, response, ErrorCode.NOT_FOUND,
            "No such admin endpoint; the dashboard is at / and its data at /dashboard.json");
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        doGet(request, response);
    }

    private static void write(HttpServletResponse response, String contentType, byte[] body) throws IOException
    {
        response.setStatus(200);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The asset's bytes from the classpath, or null. */
    private static byte[] load(String path)
    {
        try (InputStream in = DashboardServlet.class.getResourceAsStream(ASSETS + path.substring(1)))
        {
            return in == null ? null : in.readAllBytes();
        }
        catch (IOException x)
        {
            throw new IllegalStateException("cannot read the dashboard asset " + path, x);
        }
    }

    /** The body of {@code /dashboard.json}. */
    static String json(GatehouseConfig config, GatehouseMetrics metrics, Upstreams upstreams)
    {
        StringBuilder b = new StringBuilder(1024);
        b.append("{\"time\":").append(System.currentTimeMillis());
        b.append(",\"proxy_id\":").append(Json.quote(config.proxyId()));
        if (metrics != null)
            totals(b, metrics.totals());
        b.append(",\"routes\":{");
        boolean firstRoute = true;
        for (RouteConfig route : config.routes())
        {
            UpstreamPool pool = upstreams.pool(route.name());
            b.append(firstRoute ? "" : ",").append(Json.quote(route.name())).append(":{\"healthy\":")
                .append(pool == null ? 0 : pool.availableCount()).append(",\"total\":").append(route.targets().size())
                .append(",\"targets\":[");
            firstRoute = false;
            if (pool != null)
            {
                boolean firstTarget = true;
                for (Target t : pool.targets())
                {
                    b.append(firstTarget ? "" : ",").append("{\"url\":").append(Json.quote(t.url()))
                        .append(",\"healthy\":").append(t.isHealthy())
                        .append(",\"breaker\":").append(Json.quote(pool.breaker(t).getState().name()))
                        .append(",\"in_flight\":").append(t.inFlight()).append('}');
                    firstTarget = false;
                }
            }
            b.append("]}");
        }
        return b.append("}}\n").toString();
    }

    private static void totals(StringBuilder b, GatehouseMetrics.Totals t)
    {
        b.append(",\"requests\":").append(t.requests());
        b.append(",\"status\":{\"1xx\":").append(t.status1xx()).append(",\"2xx\":").append(t.status2xx())
            .append(",\"3xx\":").append(t.status3xx()).append(",\"4xx\":").append(t.status4xx())
            .append(",\"5xx\":").append(t.status5xx()).append('}');
        b.append(",\"latency\":{\"p50\":").append(seconds(t.p50Seconds())).append(",\"p95\":").append(seconds(t.p95Seconds()))
            .append(",\"p99\":").append(seconds(t.p99Seconds())).append('}');
        b.append(",\"connections\":").append(t.activeConnections());
        b.append(",\"tunnels\":").append(t.activeTunnels());
        b.append(",\"bytes\":{\"received\":").append(t.bytesReceived()).append(",\"sent\":").append(t.bytesSent()).append('}');
        b.append(",\"rejections\":{");
        boolean first = true;
        if (t.rejections() != null)
        {
            for (Map.Entry<String, Long> e : new TreeMap<>(t.rejections()).entrySet())
            {
                b.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(e.getValue());
                first = false;
            }
        }
        b.append('}');
    }

    /** A latency in seconds; 0 before the first request (JSON has no NaN). */
    private static String seconds(double value)
    {
        return Double.isFinite(value) ? Double.toString(value) : "0";
    }
}
