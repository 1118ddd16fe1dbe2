package dev.gatehouse.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.gatehouse.config.ConfigException;

/**
 * An immutable set of destination rules: exact host names ({@code example.com}), wildcards
 * ({@code *.example.com}: every subdomain at any depth, not the apex) and IP literals (matched
 * exactly).
 *
 * <p>What it defends against: a blocklist or allowlist being sidestepped by spelling a host
 * another way. Rules and looked-up hosts go through the same {@link #normalizeHost}: case is
 * folded, one trailing dot dropped, internationalised names compared in their punycode form,
 * brackets removed from IPv6 literals, IPv4-mapped IPv6 and inet_aton forms ({@code 0x7f.1})
 * reduced to a dotted quad, and anything that is not a syntactically valid host refused. Lookup
 * cost depends on the number of labels in the host, not on the size of the list (hash sets of exact
 * names and wildcard suffixes), so lists of millions of entries are fine.
 */
public final class DomainMatcher
{
    static final String RULE = "must list host names, *.wildcard domains or IP addresses";
    static final String LINE_RULE = "must be a host name, *.wildcard domain or IP address";

    public static final DomainMatcher EMPTY = new DomainMatcher(Set.of(), Set.of());

    private final Set<String> exact;
    /** Wildcard rules stored without their {@code "*."}. */
    private final Set<String> suffixes;

    private DomainMatcher(Set<String> exact, Set<String> suffixes)
    {
        this.exact = exact;
        this.suffixes = suffixes;
    }

    /**
     * Builds a matcher from configured entries.
     *
     * @throws ConfigException naming the key and the first bad entry
     */
    public static DomainMatcher of(String key, Collection<String> entries)
    {
        Builder builder = new Builder(entries.size());
        for (String entry : entries)
        {
            if (!builder.add(entry == null ? null : entry.trim()))
                throw ConfigException.invalid(key, RULE, entry);
        }
        return builder.build();
    }

    /**
     * Reads one entry per line (UTF-8, internationalised names allowed); blank lines and
     * {@code #} comments, whole-line or after an entry, are ignored.
     *
     * @throws ConfigException naming the key, the file and the line number of a bad entry, or the
     * key and the file if it cannot be read
     */
    public static DomainMatcher load(String key, Path file)
    {
        Builder builder = new Builder(1024);
        int lineNumber = 0;
        // malformed UTF-8 decodes to U+FFFD, which no valid entry contains: the bad line is reported by number
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF"))
                    line = line.substring(1);
                int hash = line.indexOf('#');
                String entry = (hash < 0 ? line : line.substring(0, hash)).trim();
                if (!entry.isEmpty() && !builder.add(entry))
                    throw ConfigException.invalid(key, "line " + lineNumber + " of " + file + " " + LINE_RULE, entry);
            }
        }
        catch (IOException x)
        {
            String where = lineNumber == 0 ? "" : " after line " + lineNumber;
            throw new ConfigException(key, key + " cannot read " + file + where + ": " + x);
        }
        return builder.build();
    }

    /** A matcher holding the rules of both (for an inline list plus a list file). */
    public static DomainMatcher union(DomainMatcher a, DomainMatcher b)
    {
        if (a.size() == 0)
            return b;
        if (b.size() == 0)
            return a;
        Set<String> exact = new HashSet<>(a.exact);
        exact.addAll(b.exact);
        Set<String> suffixes = new HashSet<>(a.suffixes);
        suffixes.addAll(b.suffixes);
        return new DomainMatcher(Set.copyOf(exact), Set.copyOf(suffixes));
    }

    /** Whether the host matches an exact rule, or is a proper subdomain of a wildcard rule. */
    public boolean matches(String host)
    {
        String normalized = normalizeHost(host);
        if (normalized == null)
            return false;
        if (exact.contains(normalized))
            return true;
        if (suffixes.isEmpty() || CidrSet.parseLiteral(normalized) != null)
            return false;
        for (int dot = normalized.indexOf('.'); dot >= 0; dot = normalized.indexOf('.', dot + 1))
        {
            if (suffixes.contains(normalized.substring(dot + 1)))
                return true;
        }
        return false;
    }

    /** The number of distinct rules. */
    public int size()
    {
        return exact.size() + suffixes.size();
    }

    @Override
    public String toString()
    {
        return "DomainMatcher[" + exact.size() + " exact, " + suffixes.size() + " wildcard]";
    }

    /**
     * The form in which hosts are compared: lower case, one trailing dot removed, brackets removed
     * from IPv6 literals (which are written in canonical compressed form), IPv4-mapped IPv6 and
     * inet_aton forms ({@code 127.1}, {@code 0x7f000001}) written as a dotted quad, internationalised
     * names in punycode ({@code xn--...}).
     *
     * @return the normalised host, or null if it is not a valid host name or IP literal
     */
    public static String normalizeHost(String host)
    {
        if (host == null || host.isEmpty())
            return null;
        if (host.charAt(0) == '[' || host.indexOf(':') >= 0)
        {
            InetAddress address = CidrSet.parseLiteral(host);
            if (address == null)
                return null;
            return address instanceof Inet4Address ? address.getHostAddress() : compressV6(address.getAddress());
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        name = name.toLowerCase(Locale.ROOT);
        if (!isAscii(name))
        {
            try
            {
                name = IDN.toASCII(name).toLowerCase(Locale.ROOT);
            }
            catch (IllegalArgumentException x)
            {
                return null;
            }
        }
        if (!isValidName(name))
            return null;
        return SsrfGuard.normalizeIntegerHost(name);
    }

    private static boolean isAscii(String s)
    {
        for (int i = 0; i < s.length(); i++)
        {
            if (s.charAt(i) >= 128)
                return false;
        }
        return true;
    }

    /** Letters, digits, hyphen and underscore; labels of 1 to 63 characters; at most 253 in all. */
    private static boolean isValidName(String name)
    {
        if (name.isEmpty() || name.length() > 253)
            return false;
        int labelLength = 0;
        for (int i = 0; i < name.length(); i++)
        {
            char c = name.charAt(i);
            if (c == '.')
            {
                if (labelLength == 0)
                    return false;
                labelLength = 0;
            }
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            {
                if (++labelLength > 63)
                    return false;
            }
            else
                return false;
        }
        return labelLength > 0;
    }

    /** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as "::". */
    private static String compressV6(byte[] bytes)
    {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++)
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; )
        {
            int j = i;
            while (j < 8 && groups[j] == 0)
                j++;
            if (j - i > bestLength)
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
                text.append(':');
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static final class Builder
    {
        private final Set<String> exact;
        private final Set<String> suffixes = new HashSet<>();

        Builder(int expected)
        {
            exact = new HashSet<>(Math.max(16, (int)(expected / 0.75f) + 1));
        }

        boolean add(String entry)
        {
            if (entry == null || entry.isEmpty())
                return false;
            if (entry.startsWith("*."))
            {
                String suffix = normalizeHost(entry.substring(2));
                if (suffix == null || CidrSet.parseLiteral(suffix) != null)
                    return false; // "*.1.2.3.4" would never match anything
                suffixes.add(suffix);
                return true;
            }
            String name = normalizeHost(entry);
            if (name == null)
                return false;
            exact.add(name);
            return true;
        }

        DomainMatcher build()
        {
            return new DomainMatcher(Set.copyOf(exact), Set.copyOf(suffixes));
        }
    }
}
