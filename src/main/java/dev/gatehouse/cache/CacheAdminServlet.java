package dev.gatehouse.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.admin.AdminAction;
import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.web.GatehouseContext;
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
        if (!AdminAction.authorized(context, request, response))
            return;
        String path = request.getPathInfo();
        if (path == null || !path.equals("/stats"))
        {
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "Use GET /admin/cache/stats");
            return;
        }
        json(response, ResponseCache.from(getServletContext()).statsJson());
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        GatehouseContext context = GatehouseContext.from(getServletContext());
        if (!AdminAction.authorized(context, request, response))
            return;
        String path = request.getPathInfo();
        if (path != null && !path.equals("/"))
        {
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "Use DELETE /admin/cache[?pattern=<glob>]");
            return;
        }
        ResponseCache cache = ResponseCache.from(getServletContext());
        String pattern = request.getParameter("pattern");
        boolean all = pattern == null || pattern.isEmpty();
        int invalidated = all ? cache.clear() : cache.purge(Glob.compile(pattern));
        CacheBroadcast broadcast = CacheBroadcast.find(getServletContext());
        // the other instances purge the same way; "broadcast" says whether Redis took the message
        String shared = broadcast == null ? "" : ",\"broadcast\":" + broadcast.publish(all ? null : pattern);
        json(response, "{\"invalidated\":" + invalidated + ",\"remaining\":" + cache.entries() + shared + "}\n");
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
