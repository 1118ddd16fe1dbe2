package dev.gatehouse.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.policy.AdminToken;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /admin/cache/stats}, {@code DELETE /admin/cache?pattern=<glob on host+path>} and
 * {@code DELETE /admin/cache} (everything), each with {@code Authorization: Bearer <admin.token>}.
 * Without a configured token the endpoints are disabled (403), never open; a wrong or missing
 * token gets 401.
 */
public class CacheAdminServlet extends HttpServlet
{
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        GatehouseContext context = GatehouseContext.from(getServletContext());
        if (!authorized(context, request, response))
            return;
        String path = request.getPathInfo();
        if (path == null || !path.equals("/stats"))
        {
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "Use GET /admin/cache/stats");
            return;
        }
        json(response, context.cache().statsJson());
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        GatehouseContext context = GatehouseContext.from(getServletContext());
        if (!authorized(context, request, response))
            return;
        String path = request.getPathInfo();
        if (path != null && !path.equals("/"))
        {
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "Use DELETE /admin/cache[?pattern=<glob>]");
            return;
        }
        ResponseCache cache = context.cache();
        String pattern = request.getParameter("pattern");
        boolean all = pattern == null || pattern.isEmpty();
        int invalidated = all ? cache.clear() : cache.purge(Glob.compile(pattern));
        CacheBroadcast broadcast = context.cacheBroadcast();
        // the other instances purge the same way; "broadcast" says whether Redis took the message
        String shared = broadcast == null ? "" : ",\"broadcast\":" + broadcast.publish(all ? null : pattern);
        json(response, "{\"invalidated\":" + invalidated + ",\"remaining\":" + cache.entries() + shared + "}\n");
    }

    private static boolean authorized(GatehouseContext context, HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        Snapshot snapshot = Snapshot.of(request, context);
        String token = snapshot.config().policy().adminToken();
        if (token == null || token.isEmpty())
        {
            ErrorResponse.send(request, response, ErrorCode.FORBIDDEN, "Admin actions are disabled: set admin.token to enable them");
            return false;
        }
        if (!AdminToken.matches(token, request.getHeader("Authorization")))
        {
            SecurityLog.event("admin-token", ClientAddress.of(request, snapshot.policy()), RequestIds.of(request), "-");
            context.observability().rejection("admin-token");
            OwnHeaders.set(request, response, "WWW-Authenticate", "Bearer realm=\"gatehouse-admin\"");
            ErrorResponse.send(request, response, ErrorCode.UNAUTHORIZED, "A valid admin token is required", "admin-token");
            return false;
        }
        return true;
    }

    private static void json(HttpServletResponse response, String json) throws IOException
    {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
