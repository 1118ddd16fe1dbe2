package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.observe.GatehouseMetrics;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The admin endpoints answer only clients in {@code admin.acl.allow} (default loopback): the
 * admin listener embedded, the {@code admin.path-prefix} paths in a WAR. Others get 403 ACL_DENIED.
 */
public class AdminAccessFilter extends MeteredFilter
{

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException
    {
        Snapshot snapshot = Snapshot.of(request, context);
        String client = ClientAddress.of(request, snapshot.policy());
        if (!snapshot.policy().adminAllow().contains(client))
        {
            PolicyFilter.refuse(metrics, request, response, client, ErrorCode.ACL_DENIED, "Your address may not use the admin endpoints",
                "admin-acl", request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }
}
