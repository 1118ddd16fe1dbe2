package dev.gatehouse.cache;

import java.util.Set;

import org.eclipse.jetty.http.HttpFields;

/**
 * May a shared cache store this response (RFC 9111 §3)? {@link #refusal} returns null when it
 * may, else a short reason for logs and the {@code Cache-Status} detail.
 */
public final class Storability
{
    /** Final status codes this cache understands (for must-understand). 206 is never stored (no range assembly). */
    static final Set<Integer> UNDERSTOOD = Set.of(200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 305, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 428, 429, 431,
        451, 500, 501, 502, 503, 504, 505, 511);

    private Storability()
    {
    }

    /**
     * @param authorization the request carried {@code Authorization}
     * @param range         the request carried {@code Range}
     */
    public static String refusal(String method, CacheControl request, boolean authorization, boolean range,
                                 int status, HttpFields headers, CacheControl response)
    {
        if (!"GET".equals(method))
            return "method";
        if (range)
            return "range";
        // a final status; 206 and 304 are never stored; an unknown status only matters under must-understand (§3)
        boolean mustUnderstand = response.has("must-understand");
        if (status < 200 || status > 999 || status == 206 || status == 304 || (mustUnderstand && !UNDERSTOOD.contains(status)))
            return "status";
        if (request.has("no-store"))
            return "request-no-store";
        if (response.has("no-store") && !mustUnderstand)
            return "no-store";
        if (response.unqualified("private"))
            return "private";
        if (authorization && !response.has("public") && !response.has("s-maxage") && !response.has("must-revalidate"))
            return "authorization";
        if (headers.contains("Set-Cookie") || headers.contains("Set-Cookie2"))
            return "set-cookie";
        if (Vary.isStar(headers.getValuesList("Vary")))
            return "vary-star";
        boolean explicit = Freshness.explicit(headers, response);
        if (!explicit && !response.has("public") && !Freshness.HEURISTIC_STATUSES.contains(status))
            return "not-cacheable-status";
        if (!explicit && !headers.contains("ETag") && !headers.contains("Last-Modified"))
            return "no-freshness-or-validator";
        return null;
    }
}
