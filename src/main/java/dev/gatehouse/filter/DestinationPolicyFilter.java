package dev.gatehouse.filter;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.policy.CidrSet;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.SsrfGuard;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Destination policy for forward-proxy requests (and reverse Host names with
 * {@code filter.reverse-host=true}): blocked domains get 403 DOMAIN_BLOCKED with
 * {@code filter.message}. A destination written as an IP address (including integer forms such
 * as {@code http://2130706433/}) is checked by the SSRF guard here; host names are checked after
 * DNS resolution, on the address actually connected to.
 */
public class DestinationPolicyFilter extends PolicyFilter
{
    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException
    {
        boolean forward = dispatch.isForward();
        Policy policy = snapshot.policy();
        if (!forward && !(dispatch.kind() == Dispatch.Kind.ROUTE && policy.config().filterReverseHost()))
            return true;
        String host = SsrfGuard.normalizeIntegerHost(request.getServerName());
        if (!policy.destinations().permits(host))
            return reject(request, response, snapshot, ErrorCode.DOMAIN_BLOCKED, policy.config().filterMessage(), "domain", host);
        if (forward && !ssrfPermits(policy.ssrf(), host))
            return reject(request, response, snapshot, ErrorCode.DESTINATION_FORBIDDEN,
                "The destination address is not reachable through this proxy", "ssrf", host);
        return true;
    }

    /** For IP-literal destinations only; names are resolved and checked by the forward client. */
    static boolean ssrfPermits(SsrfGuard guard, String host)
    {
        if (!guard.enabled())
            return true;
        InetAddress literal = CidrSet.parseLiteral(host);
        return literal == null || !guard.permitted(host, List.of(literal)).isEmpty();
    }
}
