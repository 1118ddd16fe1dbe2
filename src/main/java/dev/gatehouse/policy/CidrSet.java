package dev.gatehouse.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.gatehouse.config.ConfigException;

/**
 * An immutable set of IPv4 and IPv6 addresses and CIDR blocks, used by access control lists and
 * the SSRF guard to decide whether a client or destination address lies in a configured range.
 *
 * <p>What it defends against: address checks that can be sidestepped by spelling an address
 * another way. Entries and lookups go through one strict parser ({@link #parseLiteral}) that never
 * touches DNS, so a host name can never be mistaken for an address, and IPv4-mapped IPv6 addresses
 * ({@code ::ffff:127.0.0.1}) are matched as the IPv4 address they denote. Lookups cost one hash
 * probe per distinct prefix length in use (at most 33 for IPv4, 129 for IPv6), independent of the
 * number of entries, so a long list cannot be used to slow the proxy down.
 *
 * <p>Entries: {@code 1.2.3.4}, {@code 10.0.0.0/8}, {@code ::1}, {@code [::1]}, {@code fc00::/7},
 * {@code ::ffff:10.0.0.1}, and the keywords {@code loopback}, {@code private}, {@code link-local}
 * and {@code any}. Host bits below the prefix are masked off ({@code 10.0.0.1/8} is
 * {@code 10.0.0.0/8}).
 */
public final class CidrSet
{
    static final String RULE = "must list IP addresses, CIDRs or loopback/private/link-local/any";

    private static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");
    private static final List<String> PRIVATE = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");
    private static final List<String> LINK_LOCAL = List.of("169.254.0.0/16", "fe80::/10");
    private static final List<String> ANY = List.of("0.0.0.0/0", "::/0");

    public static final CidrSet EMPTY = parse("", List.of());

    /** Key: prefix length in the top 32 bits, masked address in the low 32. */
    private final Set<Long> v4;
    private final int[] v4Lengths;
    private final Set<V6Block> v6;
    private final int[] v6Lengths;
    private final int size;

    private record V6Block(int length, long hi, long lo)
    {
    }

    private CidrSet(Set<Long> v4, Set<V6Block> v6, int size)
    {
        this.v4 = v4;
        this.v6 = v6;
        this.size = size;
        this.v4Lengths = v4.stream().mapToInt(key -> (int)(key >>> 32)).distinct().toArray();
        this.v6Lengths = v6.stream().mapToInt(V6Block::length).distinct().toArray();
    }

    /**
     * Parses a configured list.
     *
     * @param key the configuration key, named in the error message
     * @param entries addresses, CIDRs and keywords
     * @throws ConfigException naming the key and the first bad entry
     */
    public static CidrSet parse(String key, List<String> entries)
    {
        Set<Long> v4 = new HashSet<>();
        Set<V6Block> v6 = new HashSet<>();
        for (String entry : entries)
        {
            if (entry == null)
                throw ConfigException.invalid(key, RULE, null);
            String trimmed = entry.trim();
            List<String> expanded = switch (trimmed.toLowerCase(Locale.ROOT))
            {
                case "loopback" -> LOOPBACK;
                case "private" -> PRIVATE;
                case "link-local" -> LINK_LOCAL;
                case "any" -> ANY;
                default -> List.of(trimmed);
            };
            for (String block : expanded)
            {
                if (!add(block, v4, v6))
                    throw ConfigException.invalid(key, RULE, entry);
            }
        }
        return new CidrSet(v4, v6, entries.size());
    }

    private static boolean add(String block, Set<Long> v4, Set<V6Block> v6)
    {
        int slash = block.indexOf('/');
        String address = slash < 0 ? block : block.substring(0, slash);
        InetAddress parsed = parseLiteral(address);
        if (parsed == null)
            return false;
        byte[] bytes = parsed.getAddress();
        int max = bytes.length * 8;
        // parseLiteral turns ::ffff:a.b.c.d into IPv4, but the prefix was written for IPv6
        boolean mapped = bytes.length == 4 && address.indexOf(':') >= 0;
        int length = mapped ? 128 : max;
        if (slash >= 0)
        {
            length = parsePrefix(block.substring(slash + 1));
            if (length < 0 || length > (mapped ? 128 : max))
                return false;
        }
        if (mapped && length < 96)
        {
            // a block wider than the mapped range itself: keep it as IPv6 (see addV6)
            byte[] v6Bytes = new byte[16];
            v6Bytes[10] = v6Bytes[11] = (byte)0xff;
            System.arraycopy(bytes, 0, v6Bytes, 12, 4);
            addV6(v6Bytes, length, v4, v6);
            return true;
        }
        if (bytes.length == 4)
        {
            int prefix = mapped ? length - 96 : length;
            v4.add(v4Key(prefix, toInt(bytes, 0)));
        }
        else
            addV6(bytes, length, v4, v6);
        return true;
    }

    private static void addV6(byte[] bytes, int length, Set<Long> v4, Set<V6Block> v6)
    {
        long hi = toLong(bytes, 0) & hiMask(length);
        long lo = toLong(bytes, 8) & loMask(length);
        v6.add(new V6Block(length, hi, lo));
        // lookups match mapped addresses as IPv4, so a block containing all of ::ffff:0:0/96
        // (such as ::/0) must also hold every IPv4 address
        if (length <= 96 && hi == 0 && (0x0000ffff00000000L & loMask(length)) == lo)
            v4.add(v4Key(0, 0));
    }

    private static int parsePrefix(String text)
    {
        boolean digits = !text.isEmpty() && text.length() <= 3 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        return digits ? Integer.parseInt(text) : -1;
    }

    /** Whether the address lies in one of the blocks; IPv4-mapped IPv6 is matched as IPv4. */
    public boolean contains(InetAddress address)
    {
        if (address == null)
            return false;
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && isMapped(bytes))
            return containsV4(toInt(bytes, 12));
        if (bytes.length == 4)
            return containsV4(toInt(bytes, 0));
        return containsV6(bytes);
    }

    /**
     * Whether the IP literal lies in one of the blocks. Anything that is not an IP literal, host
     * names included, is not contained; no DNS lookup is made.
     */
    public boolean contains(String ipLiteral)
    {
        // the common deny list is empty: no need to parse the client's address for it
        if (isEmpty())
            return false;
        return contains(parseLiteral(ipLiteral));
    }

    private boolean containsV4(int address)
    {
        for (int length : v4Lengths)
        {
            if (v4.contains(v4Key(length, address)))
                return true;
        }
        return false;
    }

    private boolean containsV6(byte[] bytes)
    {
        long hi = toLong(bytes, 0);
        long lo = toLong(bytes, 8);
        for (int length : v6Lengths)
        {
            if (v6.contains(new V6Block(length, hi & hiMask(length), lo & loMask(length))))
                return true;
        }
        return false;
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    /** The number of configured entries (a keyword counts as one). */
    public int size()
    {
        return size;
    }

    @Override
    public String toString()
    {
        return "CidrSet[" + size + " entries]";
    }

    /**
     * Parses an IP literal without ever consulting DNS: a strict dotted quad (four decimal parts
     * 0-255, no leading zeros) for IPv4; for IPv6 only text containing {@code ':'}, optionally in
     * brackets, optionally with a {@code %zone} (dropped). An IPv4-mapped IPv6 literal comes back
     * as the {@link Inet4Address} it denotes.
     *
     * @return the address, or null if the text is not an IP literal
     */
    public static InetAddress parseLiteral(String s)
    {
        if (s == null || s.isEmpty())
            return null;
        if (s.charAt(0) == '[')
        {
            if (s.length() < 3 || s.charAt(s.length() - 1) != ']')
                return null;
            s = s.substring(1, s.length() - 1);
            if (s.indexOf(':') < 0)
                return null;
        }
        return s.indexOf(':') < 0 ? parseDottedQuad(s) : parseV6(s);
    }

    private static InetAddress parseDottedQuad(String s)
    {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++)
        {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.')
            {
                if (digits == 0 || part == 4)
                    return null;
                bytes[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else if (c >= '0' && c <= '9')
            {
                if (digits > 0 && value == 0)
                    return null; // leading zero: octal to some parsers, decimal to others
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255)
                    return null;
            }
            else
                return null;
        }
        if (part != 4)
            return null;
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (UnknownHostException x)
        {
            return null;
        }
    }

    private static InetAddress parseV6(String s)
    {
        int percent = s.indexOf('%');
        String zone = percent < 0 ? "x" : s.substring(percent + 1);
        if (percent >= 0)
            s = s.substring(0, percent);
        if (zone.isEmpty() || !zone.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))
            || !s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 128))
            return null;
        try
        {
            // with brackets the JDK parses the literal or throws; it never falls back to DNS
            return InetAddress.getByName("[" + s + "]");
        }
        catch (UnknownHostException | IllegalArgumentException x)
        {
            return null;
        }
    }

    /** Whether 16 bytes are an IPv4-mapped address, ::ffff:a.b.c.d. */
    static boolean isMapped(byte[] bytes)
    {
        return toLong(bytes, 0) == 0 && toInt(bytes, 8) == 0xffff;
    }

    private static long v4Key(int length, int address)
    {
        int mask = length == 0 ? 0 : -1 << (32 - length);
        return ((long)length << 32) | ((address & mask) & 0xffffffffL);
    }

    /** The network bits of the high (and below, low) 64 bits of an IPv6 address. */
    private static long hiMask(int length)
    {
        return length >= 64 ? -1L : length == 0 ? 0L : -1L << (64 - length);
    }

    private static long loMask(int length)
    {
        return length <= 64 ? 0L : length == 128 ? -1L : -1L << (128 - length);
    }

    static int toInt(byte[] bytes, int offset)
    {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8 | (bytes[offset + 3] & 0xff);
    }

    private static long toLong(byte[] bytes, int offset)
    {
        return (long)toInt(bytes, offset) << 32 | (toInt(bytes, offset + 4) & 0xffffffffL);
    }
}
