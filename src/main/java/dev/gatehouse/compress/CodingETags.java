package dev.gatehouse.compress;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Entity tags of compressed representations, as Apache httpd's mod_deflate keeps them: a
 * compressed body gets the upstream's tag with the coding appended inside the quotes
 * ({@code "abc"} becomes {@code "abc-gzip"} or {@code "abc-br"}; {@code W/"abc"} becomes
 * {@code W/"abc-gzip"}). The tag stays strong, so it differs from the identity body's (the bytes
 * differ) and still works for {@code If-Match}, {@code If-Range} and caches that need strong
 * validators. On the way in, the suffix is taken off the client's {@code If-None-Match} and
 * {@code If-Match} tags, so the upstream (and the cache, which stores the identity body) compare
 * them with their own; a 304 answering a suffixed tag gets the suffix back.
 */
public final class CodingETags
{
    private CodingETags()
    {
    }

    /** The tag of {@code etag}'s representation in {@code coding}; identity (or no tag) leaves it as is. */
    public static String tag(String etag, Coding coding)
    {
        if (etag == null || coding == Coding.IDENTITY)
            return etag;
        String t = etag.trim();
        if (!t.endsWith("\"") || t.length() < 2 || codingOf(t) != Coding.IDENTITY)
            return t;
        return t.substring(0, t.length() - 1) + "-" + coding.token() + "\"";
    }

    /** The coding a tag names by its suffix, or {@link Coding#IDENTITY}. */
    public static Coding codingOf(String etag)
    {
        String t = etag.trim();
        for (Coding c : List.of(Coding.GZIP, Coding.BROTLI))
        {
            // at least one character of the upstream's own tag before the suffix
            if (t.endsWith("-" + c.token() + "\"") && t.indexOf('"') < t.length() - c.token().length() - 3)
                return c;
        }
        return Coding.IDENTITY;
    }

    /** {@code etag} without a coding suffix: the tag the upstream gave the identity body. */
    public static String strip(String etag)
    {
        String t = etag.trim();
        Coding c = codingOf(t);
        return c == Coding.IDENTITY ? t : t.substring(0, t.length() - c.token().length() - 2) + "\"";
    }

    /**
     * An {@code If-None-Match} / {@code If-Match} value with every tag's coding suffix taken off
     * ({@code *} and unsuffixed tags unchanged); null when nothing changes.
     */
    public static String stripList(String value)
    {
        if (value == null)
            return null;
        List<String> tags = tags(value);
        List<String> stripped = new ArrayList<>(tags.size());
        boolean changed = false;
        for (String tag : tags)
        {
            String s = strip(tag);
            changed |= !s.equals(tag);
            stripped.add(s);
        }
        return changed ? String.join(", ", stripped) : null;
    }

    /**
     * The coding of the tag in {@code ifNoneMatch} that, stripped, equals {@code etag} (weak
     * comparison): the representation a 304 for {@code etag} stands for. Identity when none does.
     */
    public static Coding answered(String ifNoneMatch, String etag)
    {
        if (ifNoneMatch == null || etag == null)
            return Coding.IDENTITY;
        String opaque = opaque(etag);
        for (String tag : tags(ifNoneMatch))
        {
            Coding c = codingOf(tag);
            if (c != Coding.IDENTITY && opaque(strip(tag)).equals(opaque))
                return c;
        }
        return Coding.IDENTITY;
    }

    /**
     * The upstream request's preconditions for the identity body: coding suffixes off the
     * {@code If-None-Match} and {@code If-Match} tags; an {@code If-Range} naming a compressed
     * body cannot match the upstream's ranges (they count identity bytes), so the request asks for
     * the whole body instead ({@code Range} and {@code If-Range} removed), as a failed If-Range does.
     */
    public static void forUpstream(HttpFields.Mutable headers)
    {
        for (HttpHeader name : List.of(HttpHeader.IF_NONE_MATCH, HttpHeader.IF_MATCH))
        {
            List<String> values = headers.getValuesList(name);
            if (values.isEmpty())
                continue;
            String stripped = stripList(String.join(", ", values));
            if (stripped != null)
                headers.put(name, stripped);
        }
        String ifRange = headers.get(HttpHeader.IF_RANGE);
        if (ifRange != null && ifRange.trim().endsWith("\"") && codingOf(ifRange) != Coding.IDENTITY)
        {
            headers.remove(HttpHeader.IF_RANGE);
            headers.remove(HttpHeader.RANGE);
        }
    }

    private static String opaque(String tag)
    {
        String t = tag.trim();
        return t.startsWith("W/") ? t.substring(2) : t;
    }

    /** Splits an entity-tag list; commas inside quotes belong to the tag. */
    public static List<String> tags(String line)
    {
        List<String> tags = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            char c = line.charAt(i);
            if (c == '"')
                quoted = !quoted;
            if (c == ',' && !quoted)
            {
                if (!b.toString().isBlank())
                    tags.add(b.toString().trim());
                b.setLength(0);
            }
            else
            {
                b.append(c);
            }
        }
        if (!b.toString().isBlank())
            tags.add(b.toString().trim());
        return tags;
    }
}
