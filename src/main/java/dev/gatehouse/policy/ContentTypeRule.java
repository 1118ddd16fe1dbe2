package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.gatehouse.config.ConfigException;

/**
 * Blocked response content types ({@code filter.blocked-content-types}): exact media types
 * ({@code application/x-msdownload}) and regular expressions ({@code application/x-.*}), compared
 * case-insensitively with the media type alone (parameters such as charset ignored).
 */
public final class ContentTypeRule
{
    public static final ContentTypeRule NONE = new ContentTypeRule(Set.of(), new Pattern[0]);
    private static final Pattern REGEX_HINT = Pattern.compile("[*+?\\[\\](){}|^$\\\\]");

    private final Set<String> exact;
    private final Pattern[] patterns;

    private ContentTypeRule(Set<String> exact, Pattern[] patterns)
    {
        this.exact = exact;
        this.patterns = patterns;
    }

    public static ContentTypeRule of(String key, List<String> entries)
    {
        if (entries.isEmpty())
            return NONE;
        Set<String> exact = new HashSet<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : entries)
        {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (REGEX_HINT.matcher(e).find())
            {
                try
                {
                    patterns.add(Pattern.compile(e, Pattern.CASE_INSENSITIVE));
                }
                catch (PatternSyntaxException x)
                {
                    throw ConfigException.invalid(key, "must list media types or valid regular expressions", entry);
                }
            }
            else
            {
                if (e.indexOf('/') <= 0)
                    throw ConfigException.invalid(key, "must list media types such as application/x-msdownload", entry);
                exact.add(e);
            }
        }
        return new ContentTypeRule(Set.copyOf(exact), patterns.toArray(new Pattern[0]));
    }

    public boolean isEmpty()
    {
        return exact.isEmpty() && patterns.length == 0;
    }

    /** True if the Content-Type header value names a blocked type. */
    public boolean blocks(String contentType)
    {
        if (contentType == null || isEmpty())
            return false;
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (exact.contains(type))
            return true;
        for (Pattern p : patterns)
        {
            if (p.matcher(type).matches())
                return true;
        }
        return false;
    }
}
