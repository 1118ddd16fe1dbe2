package dev.gatehouse.cache;

import java.util.Set;

import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.HttpFields;

/**
 * Freshness lifetime and age of a stored response, RFC 9111 §4.2 (shared cache). All times are
 * epoch milliseconds passed in by the caller, so the rules are tested with explicit clocks.
 */
public final class Freshness
{
    /** Heuristic freshness is 10% of the time since Last-Modified, at most this (RFC 9111 §4.2.2). */
    public static final long HEURISTIC_MAX_MILLIS = 24L * 3600 * 1000;
    /** Status codes heuristically cacheable (RFC 9110 §15.1). */
    static final Set<Integer> HEURISTIC_STATUSES = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

    private Freshness()
    {
    }

    /**
     * The freshness lifetime for a shared cache: {@code s-maxage}, else {@code max-age}, else
     * {@code Expires - Date}, else 10% of {@code Date - Last-Modified} (bounded) for a
     * heuristically cacheable status or a {@code public} response; else 0. Invalid values give 0
     * (stale), as RFC 9111 §4.2.1 encourages and §5.3 requires for Expires.
     */
    public static long lifetime(int status, HttpFields headers, CacheControl cc, long responseTime)
    {
        long s = cc.seconds("s-maxage");
        if (s != CacheControl.ABSENT || cc.has("s-maxage"))
            return s < 0 ? 0 : s * 1000;
        long m = cc.seconds("max-age");
        if (m != CacheControl.ABSENT || cc.has("max-age"))
            return m < 0 ? 0 : m * 1000;
        long date = dateValue(headers, responseTime);
        String expires = headers.get("Expires");
        if (expires != null)
        {
            long e = DateParser.parseDate(expires);
            return e < 0 ? 0 : Math.max(0, e - date);
        }
        if (HEURISTIC_STATUSES.contains(status) || cc.has("public"))
        {
            String lm = headers.get("Last-Modified");
            long modified = lm == null ? -1 : DateParser.parseDate(lm);
            if (modified >= 0 && modified < date)
                return Math.min(HEURISTIC_MAX_MILLIS, (date - modified) / 10);
        }
        return 0;
    }

    /** True when the lifetime came from s-maxage, max-age or Expires (not heuristics). */
    public static boolean explicit(HttpFields headers, CacheControl cc)
    {
        return cc.has("s-maxage") || cc.has("max-age") || headers.contains("Expires");
    }

    /** The Date header's value, or the time of receipt when absent or invalid. */
    public static long dateValue(HttpFields headers, long responseTime)
    {
        String d = headers.get("Date");
        long date = d == null ? -1 : DateParser.parseDate(d);
        return date < 0 ? responseTime : date;
    }

    /** The Age header in seconds (0 when absent or invalid; capped like delta-seconds). */
    public static long ageValue(HttpFields headers)
    {
        String a = headers.get("Age");
        if (a == null)
            return 0;
        a = a.trim();
        if (a.isEmpty())
            return 0;
        for (int i = 0; i < a.length(); i++)
        {
            if (a.charAt(i) < '0' || a.charAt(i) > '9')
                return 0;
        }
        return a.length() > 10 ? CacheControl.DELTA_MAX : Math.min(Long.parseLong(a), CacheControl.DELTA_MAX);
    }

    /**
     * RFC 9111 §4.2.3: {@code corrected_initial_age = max(apparent_age, age_value + response_delay)}
     * with {@code apparent_age = max(0, response_time - date_value)}.
     */
    public static long correctedInitialAge(HttpFields headers, long requestTime, long responseTime)
    {
        long apparent = Math.max(0, responseTime - dateValue(headers, responseTime));
        long delay = Math.max(0, responseTime - requestTime);
        long corrected = ageValue(headers) * 1000 + delay;
        return Math.max(apparent, corrected);
    }

    /** {@code current_age = corrected_initial_age + (now - response_time)}, in milliseconds. */
    public static long currentAge(long correctedInitialAge, long responseTime, long now)
    {
        return correctedInitialAge + Math.max(0, now - responseTime);
    }
}
