package dev.gatehouse.cache;

import java.util.List;
import java.util.Locale;

/**
 * What a stored response may do for a request (RFC 9111 §4.2-4.3, RFC 5861): be served as is,
 * be served stale, be served stale while a refresh runs, or only after validation. Pure: the
 * caller passes the time.
 */
public final class ServePolicy
{
    public enum Action
    {
        /** Fresh and acceptable to the request. */
        FRESH,
        /** Stale, but the request's max-stale accepts it. */
        STALE,
        /** Stale within stale-while-revalidate: serve it, refresh in the background. */
        STALE_WHILE_REVALIDATE,
        /** Must be validated with the origin first. */
        VALIDATE
    }

    private ServePolicy()
    {
    }

    /**
     * The request's directives; {@code Pragma: no-cache} counts as {@code Cache-Control: no-cache}
     * only when the request has no Cache-Control (RFC 9111 §5.4).
     */
    public static CacheControl requestDirectives(List<String> cacheControl, List<String> pragma)
    {
        if (cacheControl != null && !cacheControl.isEmpty())
            return CacheControl.parse(cacheControl);
        if (pragma != null)
        {
            for (String p : pragma)
            {
                if (p.toLowerCase(Locale.ROOT).contains("no-cache"))
                    return CacheControl.parse("no-cache");
            }
        }
        return CacheControl.EMPTY;
    }

    public static Action decide(StoredResponse stored, CacheControl request, long now)
    {
        CacheControl response = stored.cc;
        if (response.unqualified("no-cache") || request.has("no-cache"))
            return Action.VALIDATE;
        long age = stored.currentAge(now);
        long maxAge = request.seconds("max-age");
        if (maxAge >= 0 && age > maxAge * 1000)
            return Action.VALIDATE;
        long minFresh = request.seconds("min-fresh");
        if (minFresh >= 0 && stored.lifetime - age < minFresh * 1000)
            return Action.VALIDATE;
        if (stored.lifetime > age)
            return Action.FRESH;
        if (staleForbidden(response))
            return Action.VALIDATE;
        long staleness = age - stored.lifetime;
        if (request.has("max-stale"))
        {
            // without an argument: any staleness is acceptable
            long maxStale = request.seconds("max-stale");
            if (request.value("max-stale").isEmpty() || (maxStale >= 0 && staleness <= maxStale * 1000))
                return Action.STALE;
        }
        long swr = response.seconds("stale-while-revalidate");
        if (swr >= 0 && staleness <= swr * 1000)
            return Action.STALE_WHILE_REVALIDATE;
        return Action.VALIDATE;
    }

    /** May the stale response be served because the origin failed (stale-if-error, RFC 5861 §4)? */
    public static boolean staleIfError(StoredResponse stored, CacheControl request, long now)
    {
        if (staleForbidden(stored.cc) || stored.cc.unqualified("no-cache"))
            return false;
        long staleness = stored.staleness(now);
        long allowed = Math.max(stored.cc.seconds("stale-if-error"), request.seconds("stale-if-error"));
        return allowed >= 0 && staleness <= allowed * 1000;
    }

    /** must-revalidate, proxy-revalidate and s-maxage forbid serving stale from a shared cache (RFC 9111 §4.2.4). */
    static boolean staleForbidden(CacheControl response)
    {
        return response.has("must-revalidate") || response.has("proxy-revalidate") || response.has("s-maxage");
    }
}
