package dev.gatehouse.compress;

import java.util.List;
import java.util.Locale;

/**
 * The compressible media types of {@code compression.types}: exact ({@code application/json}),
 * a whole type ({@code text/*}) or a structured-syntax suffix ({@code application/*+json}).
 */
public final class MediaTypes
{
    private final List<String> patterns;

    public MediaTypes(List<String> patterns)
    {
        this.patterns = patterns.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** True when the {@code Content-Type} value (parameters ignored) matches a pattern. */
    public boolean matches(String contentType)
    {
        if (contentType == null)
            return false;
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1)
            return false;
        for (String pattern : patterns)
        {
            if (matches(pattern, type, slash))
                return true;
        }
        return false;
    }

    private static boolean matches(String pattern, String type, int slash)
    {
        int star = pattern.indexOf('*');
        if (star < 0)
            return pattern.equals(type);
        int patternSlash = pattern.indexOf('/');
        if (!pattern.regionMatches(0, type, 0, Math.max(patternSlash, slash)) || patternSlash != slash)
            return false;
        String prefix = pattern.substring(patternSlash + 1, star);
        String suffix = pattern.substring(star + 1);
        String subtype = type.substring(slash + 1);
        return subtype.length() >= prefix.length() + suffix.length() && subtype.startsWith(prefix) && subtype.endsWith(suffix);
    }
}
