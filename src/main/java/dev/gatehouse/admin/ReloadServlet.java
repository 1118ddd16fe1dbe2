package dev.gatehouse.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.Json;
import dev.gatehouse.web.ConfigWatcher;
import dev.gatehouse.web.GatehouseContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /admin/reload} with {@code Authorization: Bearer <admin.token>}: reloads the
 * configuration and the files it names. 200 {@code {"status":"reloaded"}}, or 422
 * CONFIG_INVALID with the reason while the previous configuration stays in force. Without an
 * {@code admin.token} the endpoint is disabled (403), never open.
 */
public class ReloadServlet extends HttpServlet
{
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException
    {
        GatehouseContext context = GatehouseContext.from(getServletContext());
        if (!AdminAction.authorized(context, request, response))
            return;
        ConfigWatcher watcher = context.watcher();
        if (watcher == null)
        {
            ErrorResponse.send(request, response, ErrorCode.NOT_FOUND, "Reloading is not available in this deployment");
            return;
        }
        ConfigWatcher.Result result = watcher.reload();
        if (!result.reloaded())
        {
            ErrorResponse.send(request, response, ErrorCode.CONFIG_INVALID, result.message());
            return;
        }
        byte[] body = ("{\"status\":\"reloaded\",\"routes\":" + context.config().routes().size()
            + ",\"proxy_id\":" + Json.quote(context.config().proxyId()) + "}\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
