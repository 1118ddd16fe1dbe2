package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy ({@code trust.proxies}),
 * in which case {@code X-Forwarded-For} is walked from the right, skipping trusted hops. A client
 * that is not a trusted proxy cannot move its address by sending the header itself.
 */
public final class ClientAddress
{
    static final String ATTRIBUTE = "dev.gatehouse.clientAddress";

    private ClientAddress()
    {
    }

    /** The client address of this request (computed once, then cached on the request). */
    public static String of(HttpServletRequest request, Policy policy)
    {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof String s)
            return s;
        String address = resolve(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"), policy.trustedProxies());
        request.setAttribute(ATTRIBUTE, address);
        return address;
    }

    /**
     * @param peer    the socket peer address
     * @param xff     the X-Forwarded-For header values, in order (may be null)
     * @param trusted the trusted proxies
     */
    public static String resolve(String peer, Enumeration<String> xff, CidrSet trusted)
    {
        String current = strip(peer);
        if (trusted.isEmpty() || xff == null || !trusted.contains(current))
            return current;
        List<String> hops = new ArrayList<>();
        while (xff.hasMoreElements())
        {
            for (String hop : xff.nextElement().split(","))
            {
                String h = hop.trim();
                if (!h.isEmpty())
                    hops.add(h);
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--)
        {
            String hop = strip(hops.get(i));
            if (CidrSet.parseLiteral(hop) == null)
                return current; // garbage in the chain: stop at the last address we can vouch for
            current = hop;
            if (!trusted.contains(hop))
                return hop;
        }
        return current;
    }

    private static String strip(String address)
    {
        if (address == null)
            return "";
        if (address.startsWith("[") && address.endsWith("]"))
            return address.substring(1, address.length() - 1);
        return address;
    }
}
