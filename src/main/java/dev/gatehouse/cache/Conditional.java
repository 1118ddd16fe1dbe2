package dev.gatehouse.cache;

import java.util.List;

import dev.gatehouse.compress.CodingETags;
import org.eclipse.jetty.http.DateParser;
import org.eclipse.jetty.http.HttpFields;

/**
 * Evaluates a client's conditional GET/HEAD against a stored response (RFC 9110 §13.2.2, RFC 9111
 * §4.3.2): {@code If-None-Match} with the weak comparison, else {@code If-Modified-Since} against
 * Last-Modified (or Date, or the time it was received).
 */
public final class Conditional
{
    private Conditional()
    {
    }

    /** True when the request has a precondition this cache evaluates itself. */
    public static boolean isConditional(List<String> ifNoneMatch, String ifModifiedSince)
    {
        return (ifNoneMatch != null && !ifNoneMatch.isEmpty()) || ifModifiedSince != null;
    }

    /** True when the stored response satisfies the condition for a 304. */
    public static boolean notModified(HttpFields stored, long responseTime, List<String> ifNoneMatch, String ifModifiedSince)
    {
        if (ifNoneMatch != null && !ifNoneMatch.isEmpty())
        {
            String etag = stored.get("ETag");
            for (String line : ifNoneMatch)
            {
                for (String tag : splitTags(line))
                {
                    // a compressed body's tag ("abc-gzip") names the stored identity body ("abc")
                    if (tag.equals("*") || (etag != null && weakMatch(CodingETags.strip(tag), etag)))
                        return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null)
        {
            long since = DateParser.parseDate(ifModifiedSince);
            if (since < 0)
                return false;
            String lm = stored.get("Last-Modified");
            long modified = lm == null ? -1 : DateParser.parseDate(lm);
            if (modified < 0)
                modified = Freshness.dateValue(stored, responseTime);
            return modified <= since;
        }
        return false;
    }

    /**
     * Does a 304 apply to this stored response (RFC 9111 §4.3.4)? Its ETag must match the stored
     * one, and its Last-Modified must equal the stored one, where both carry them.
     */
    public static boolean selects(HttpFields notModified, HttpFields stored)
    {
        String etag = notModified.get("ETag");
        String storedTag = stored.get("ETag");
        if (etag != null && storedTag != null && !weakMatch(etag, storedTag))
            return false;
        String lm = notModified.get("Last-Modified");
        String storedLm = stored.get("Last-Modified");
        return lm == null || storedLm == null || DateParser.parseDate(lm) == DateParser.parseDate(storedLm);
    }

    /** Weak comparison: the opaque tags match, ignoring {@code W/} on either side. */
    public static boolean weakMatch(String a, String b)
    {
        return opaque(a).equals(opaque(b));
    }

    /** Strong comparison: both strong, and the tags match. */
    public static boolean strongMatch(String a, String b)
    {
        String x = a.trim();
        String y = b.trim();
        return !x.startsWith("W/") && !y.startsWith("W/") && x.equals(y);
    }

    private static String opaque(String tag)
    {
        String t = tag.trim();
        return t.startsWith("W/") ? t.substring(2) : t;
    }

    /** Splits an entity-tag list; commas inside quotes belong to the tag. */
    static List<String> splitTags(String line)
    {
        return CodingETags.tags(line);
    }
}
