package dev.gatehouse.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Refuses destinations chosen by clients (forward proxying, CONNECT) that resolve into internal
 * address space.
 *
 * <p>What it defends against: server-side request forgery, where a client uses the proxy to reach
 * what the proxy host can reach but the client cannot: loopback services, the private network,
 * cloud metadata endpoints ({@code 169.254.169.254}, {@code fd00:ec2::254}), and so on. The check
 * is made on the <em>resolved</em> addresses, the ones the proxy will connect to, so DNS names
 * pointing inside and every spelling of an internal address are caught: integer and octal/hex
 * hosts ({@code 2130706433}, {@code 0x7f.1}), IPv4-mapped ({@code ::ffff:127.0.0.1}),
 * IPv4-compatible ({@code ::127.0.0.1}), NAT64 ({@code 64:ff9b::7f00:1}) and 6to4
 * ({@code 2002:7f00:1::}) forms of internal IPv4 addresses. Callers must connect to an address
 * this guard returned, not resolve the name again (which would reopen DNS rebinding).
 *
 * <p>Operator-written route targets are trusted and not checked. Exceptions are configured as
 * addresses ({@code allowAddresses}) or host names ({@code allowHosts}).
 */
public final class SsrfGuard
{
    /** IPv4 ranges no client-chosen destination may use. */
    private static final CidrSet INTERNAL_V4 = CidrSet.parse("ssrf", List.of(
        "0.0.0.0/8",        // "this network", unspecified
        "10.0.0.0/8",       // RFC 1918
        "100.64.0.0/10",    // carrier-grade NAT shared space
        "127.0.0.0/8",      // loopback
        "169.254.0.0/16",   // link-local, cloud metadata
        "172.16.0.0/12",    // RFC 1918
        "192.0.0.0/24",     // IETF protocol assignments (incl. old 192.0.0.192 metadata)
        "192.168.0.0/16",   // RFC 1918
        "198.18.0.0/15",    // benchmarking, often used for internal fake-IP DNS
        "224.0.0.0/4",      // multicast
        "240.0.0.0/4"));    // reserved, incl. broadcast 255.255.255.255

    /** IPv6 ranges with no embedded IPv4 address. */
    private static final CidrSet INTERNAL_V6 = CidrSet.parse("ssrf", List.of(
        "::/128",           // unspecified
        "::1/128",          // loopback
        "100::/64",         // discard-only
        "fc00::/7",         // unique local, incl. fd00:ec2::254
        "fe80::/10",        // link-local
        "fec0::/10",        // deprecated site-local
        "ff00::/8"));       // multicast

    private final boolean enabled;
    private final CidrSet allowAddresses;
    private final DomainMatcher allowHosts;

    /**
     * @param enabled whether to check at all
     * @param allowAddresses internal addresses clients may nevertheless reach
     * @param allowHosts hosts whose every address clients may reach
     */
    public SsrfGuard(boolean enabled, CidrSet allowAddresses, DomainMatcher allowHosts)
    {
        this.enabled = enabled;
        this.allowAddresses = Objects.requireNonNull(allowAddresses, "allowAddresses");
        this.allowHosts = Objects.requireNonNull(allowHosts, "allowHosts");
    }

    public boolean enabled()
    {
        return enabled;
    }

    /**
     * Whether the host is exempt from the address check: the guard is disabled or the host matches
     * {@code allowHosts}.
     */
    public boolean hostAllowed(String host)
    {
        return !enabled || allowHosts.matches(host);
    }

    /** Whether a client may connect to this address (it is not internal, or it is allowed). */
    public boolean addressAllowed(InetAddress address)
    {
        return !enabled || !isInternal(address) || allowAddresses.contains(address);
    }

    /**
     * The resolved addresses of {@code host} a client may connect to, in their original order:
     * all of them if the host is exempt, otherwise those that are not internal or are allowed.
     * An empty result means the destination must be refused.
     */
    public List<InetAddress> permitted(String host, List<InetAddress> resolved)
    {
        if (hostAllowed(host))
            return List.copyOf(resolved);
        List<InetAddress> permitted = new ArrayList<>(resolved.size());
        for (InetAddress address : resolved)
        {
            if (addressAllowed(address))
                permitted.add(address);
        }
        return List.copyOf(permitted);
    }

    /**
     * Whether the address is in internal space: loopback, RFC 1918 private, link-local,
     * unique-local, multicast, unspecified/"this network", CGNAT shared space, reserved/broadcast,
     * or an IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64 or 6to4 form of an internal IPv4
     * address. A null address counts as internal.
     */
    public static boolean isInternal(InetAddress address)
    {
        if (address == null)
            return true;
        byte[] bytes = address.getAddress();
        if (bytes.length == 4)
            return INTERNAL_V4.contains(address);
        if (INTERNAL_V6.contains(address))
            return true;
        int embedded = embeddedV4(bytes);
        return embedded >= 0 && INTERNAL_V4.contains(v4(bytes, embedded));
    }

    /** The offset of an IPv4 address embedded in an IPv6 one, or -1. */
    private static int embeddedV4(byte[] b)
    {
        if (CidrSet.isMapped(b) || allZero(b, 0, 12))
            return 12; // ::ffff:a.b.c.d mapped, ::a.b.c.d compatible
        if (allZero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && allZero(b, 10, 12))
            return 12; // ::ffff:0:a.b.c.d translated (SIIT)
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b)
        {
            if (allZero(b, 4, 12))
                return 12; // 64:ff9b::/96 well-known NAT64
            if (b[4] == 0 && b[5] == 1)
                return 12; // 64:ff9b:1::/48 local-use NAT64, address in the last 32 bits
        }
        if (b[0] == 0x20 && b[1] == 0x02)
            return 2; // 2002:aabb:ccdd::/48 6to4
        return -1;
    }

    private static boolean allZero(byte[] b, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (b[i] != 0)
                return false;
        }
        return true;
    }

    private static InetAddress v4(byte[] bytes, int offset)
    {
        byte[] v4 = new byte[4];
        System.arraycopy(bytes, offset, v4, 0, 4);
        try
        {
            return InetAddress.getByAddress(v4);
        }
        catch (UnknownHostException x)
        {
            throw new IllegalStateException(x); // four bytes are always a valid IPv4 address
        }
    }

    /**
     * Rewrites the numeric host forms that C resolvers ({@code inet_aton}) accept as an IPv4
     * address into a dotted quad: one, two or three parts ({@code 2130706433}, {@code 127.1},
     * {@code 127.0.1}) and parts in octal (leading 0) or hex ({@code 0x}), e.g. {@code 0177.0.0.1},
     * {@code 0x7f.0.0.1}, {@code 017700000001}. Anything else, including a value out of range for
     * its part, is returned unchanged. One trailing dot is ignored.
     */
    public static String normalizeIntegerHost(String host)
    {
        if (host == null || host.isEmpty())
            return host;
        String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (text.isEmpty() || !Character.isDigit(text.charAt(0)))
            return host;
        long[] parts = new long[4];
        int count = 0;
        int start = 0;
        while (true)
        {
            int dot = text.indexOf('.', start);
            int end = dot < 0 ? text.length() : dot;
            if (count == 4)
                return host;
            long value = parsePart(text, start, end);
            if (value < 0)
                return host;
            parts[count++] = value;
            if (dot < 0)
                break;
            start = dot + 1;
        }
        long address = 0;
        for (int i = 0; i < count - 1; i++)
        {
            if (parts[i] > 255)
                return host;
            address |= parts[i] << (24 - 8 * i);
        }
        long last = parts[count - 1];
        if (last > (0xffffffffL >>> (8 * (count - 1))))
            return host;
        address |= last;
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** One inet_aton part, or -1 if it is not a number or exceeds 32 bits. */
    private static long parsePart(String text, int start, int end)
    {
        int radix = 10;
        if (end - start >= 2 && text.charAt(start) == '0' && (text.charAt(start + 1) == 'x' || text.charAt(start + 1) == 'X'))
        {
            radix = 16;
            start += 2;
        }
        else if (end - start >= 2 && text.charAt(start) == '0')
            radix = 8;
        if (start >= end)
            return -1;
        long value = 0;
        for (int i = start; i < end; i++)
        {
            int digit = Character.digit(text.charAt(i), radix);
            if (digit < 0 || text.charAt(i) >= 128)
                return -1;
            value = value * radix + digit;
            if (value > 0xffffffffL)
                return -1;
        }
        return value;
    }
}
