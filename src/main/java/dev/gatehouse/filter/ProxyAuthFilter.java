package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.policy.UsersFile;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Proxy authentication for forward-proxy use when {@code auth.users-file} is set: a missing or
 * wrong {@code Proxy-Authorization: Basic} gets 407 with {@code Proxy-Authenticate}. The header
 * is hop-by-hop and never forwarded.
 */
public class ProxyAuthFilter extends PolicyFilter
{
    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException
    {
        UsersFile users = snapshot.policy().users();
        if (users == null || !dispatch.isForward())
            return true;
        String header = request.getHeader("Proxy-Authorization");
        if (header != null && users.authenticate(header).isPresent())
            return true;
        OwnHeaders.set(request, response, "Proxy-Authenticate", challenge(snapshot));
        return reject(request, response, snapshot, ErrorCode.PROXY_AUTH_REQUIRED, "Proxy authentication required",
            header == null ? "auth-missing" : "auth-failed", header == null ? "-" : "(credentials withheld)");
    }

    public static String challenge(Snapshot snapshot)
    {
        return UsersFile.challenge(snapshot.policy().config().authRealm());
    }
}
