package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * IP access control. {@code acl.deny} always wins. Forward-proxy use needs the client in
 * {@code acl.allow} (default loopback and private ranges, so an accidental public bind is not an
 * open proxy). Reverse routes serve everyone the listener accepts unless {@code acl.allow} was set
 * explicitly or the route has its own {@code routes.<name>.acl.*}. Denied: 403 ACL_DENIED.
 */
public class AccessControlFilter extends PolicyFilter
{
    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException
    {
        Policy policy = snapshot.policy();
        String client = ClientAddress.of(request, policy);
        if (!permits(policy, dispatch, client))
            return reject(request, response, snapshot, ErrorCode.ACL_DENIED, "Your address may not use this proxy", "acl", client);
        return true;
    }

    static boolean permits(Policy policy, Dispatch dispatch, String client)
    {
        if (policy.aclDeny().contains(client))
            return false;
        if (dispatch.kind() == Dispatch.Kind.ROUTE)
        {
            Policy.RouteRules rules = policy.route(dispatch.route().name());
            if (rules != null && rules.deny().contains(client))
                return false;
            if (rules != null && !rules.allow().isEmpty())
                return rules.allow().contains(client);
            return !policy.aclAllowExplicit() || policy.aclAllow().contains(client);
        }
        if (dispatch.kind() == Dispatch.Kind.FORWARD)
            return policy.aclAllow().contains(client);
        return true;
    }
}
