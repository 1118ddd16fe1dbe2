package dev.gatehouse.admin;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.ErrorResponse;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.http.RequestIds;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.AdminToken;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.SecurityLog;
import dev.gatehouse.web.GatehouseContext;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The gate of every admin action (reload, cache purge and stats, the CPU profiler): a request
 * passes only with {@code Authorization: Bearer <admin.token>}. No configured token: 403, the
 * action is disabled, never open; a missing or wrong token: 401 with {@code WWW-Authenticate}.
 */
public final class AdminAction
{
    private AdminAction()
    {
    }

    /** True when the request may act; otherwise the JSON error has been sent. */
    public static boolean authorized(GatehouseContext context, HttpServletRequest request, HttpServletResponse response)
        throws IOException
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
            GatehouseMetrics.from(request.getServletContext()).rejection("admin-token");
            OwnHeaders.set(request, response, "WWW-Authenticate", "Bearer realm=\"gatehouse-admin\"");
            ErrorResponse.send(request, response, ErrorCode.UNAUTHORIZED, "A valid admin token is required", "admin-token");
            return false;
        }
        return true;
    }
}
