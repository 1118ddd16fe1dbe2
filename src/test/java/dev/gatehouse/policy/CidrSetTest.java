package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrSetTest
{
    private static CidrSet set(String... entries)
    {
        return CidrSet.parse("acl.allow", Arrays.asList(entries));
    }

    /** An IPv4-mapped IPv6 address kept as Inet6Address (InetAddress.getByName would turn it into IPv4). */
    private static InetAddress mappedInet6(int a, int b, int c, int d) throws Exception
    {
        byte[] bytes = new byte[16];
        bytes[10] = (byte)0xff;
        bytes[11] = (byte)0xff;
        bytes[12] = (byte)a;
        bytes[13] = (byte)b;
        bytes[14] = (byte)c;
        bytes[15] = (byte)d;
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    @Test
    void singleIpv4AddressMatchesOnlyItself()
    {
        CidrSet set = set("1.2.3.4");
        assertTrue(set.contains("1.2.3.4"));
        assertFalse(set.contains("1.2.3.5"));
        assertFalse(set.contains("1.2.3.3"));
    }

    @Test
    void ipv4CidrMatchesItsWholeRangeAndNothingOutside()
    {
        CidrSet set = set("10.0.0.0/8");
        assertTrue(set.contains("10.0.0.0"));
        assertTrue(set.contains("10.255.255.255"));
        assertFalse(set.contains("11.0.0.0"));
        assertFalse(set.contains("9.255.255.255"));
    }

    @Test
    void oddPrefixLengthsMatchExactBoundaries()
    {
        CidrSet set = set("172.16.0.0/12", "192.168.1.128/25");
        assertTrue(set.contains("172.31.255.255"));
        assertFalse(set.contains("172.32.0.0"));
        assertFalse(set.contains("172.15.255.255"));
        assertTrue(set.contains("192.168.1.128"));
        assertTrue(set.contains("192.168.1.255"));
        assertFalse(set.contains("192.168.1.127"));
    }

    @Test
    void slash32MatchesExactlyOneAddress()
    {
        CidrSet set = set("203.0.113.7/32");
        assertTrue(set.contains("203.0.113.7"));
        assertFalse(set.contains("203.0.113.6"));
        assertFalse(set.contains("203.0.113.8"));
    }

    @Test
    void ipv4SlashZeroMatchesEveryIpv4AddressButNoNativeIpv6()
    {
        CidrSet set = set("0.0.0.0/0");
        assertTrue(set.contains("0.0.0.0"));
        assertTrue(set.contains("255.255.255.255"));
        assertTrue(set.contains("8.8.8.8"));
        assertFalse(set.contains("::1"));
        assertFalse(set.contains("2606:4700::1111"));
    }

    @Test
    void masksHostBitsInCidr()
    {
        CidrSet set = set("10.0.0.1/8", "2001:db8::1/32");
        assertTrue(set.contains("10.200.0.0"));
        assertTrue(set.contains("10.0.0.0"));
        assertTrue(set.contains("2001:db8:ffff::"));
        assertTrue(set.contains("2001:db8::"));
        assertFalse(set.contains("2001:db9::"));
    }

    @Test
    void singleIpv6AddressMatchesInEveryNotation()
    {
        CidrSet set = set("::1");
        assertTrue(set.contains("::1"));
        assertTrue(set.contains("[::1]"));
        assertTrue(set.contains("0:0:0:0:0:0:0:1"));
        assertTrue(set.contains("0000:0000:0000:0000:0000:0000:0000:0001"));
        assertFalse(set.contains("::2"));
        assertFalse(set.contains("::"));
    }

    @Test
    void bracketedEntryIsAccepted()
    {
        assertTrue(set("[2001:db8::5]").contains("2001:db8::5"));
    }

    @Test
    void ipv6CidrMatchesItsRange()
    {
        CidrSet set = set("fc00::/7");
        assertTrue(set.contains("fc00::"));
        assertTrue(set.contains("fd00:ec2::254"));
        assertTrue(set.contains("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertFalse(set.contains("fe00::"));
        assertFalse(set.contains("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    @Test
    void ipv6PrefixesAroundTheSixtyFourBitBoundaryMatchExactly()
    {
        CidrSet at64 = set("2001:db8:0:1::/64");
        assertTrue(at64.contains("2001:db8:0:1:ffff:ffff:ffff:ffff"));
        assertFalse(at64.contains("2001:db8:0:2::"));
        CidrSet at65 = set("2001:db8::/65");
        assertTrue(at65.contains("2001:db8::7fff:ffff:ffff:ffff"));
        assertFalse(at65.contains("2001:db8::8000:0:0:0"));
        CidrSet at63 = set("2001:db8::/63");
        assertTrue(at63.contains("2001:db8:0:1:ffff::"));
        assertFalse(at63.contains("2001:db8:0:2::"));
    }

    @Test
    void slash128MatchesExactlyOneAddress()
    {
        CidrSet set = set("2001:db8::abcd/128");
        assertTrue(set.contains("2001:db8::abcd"));
        assertFalse(set.contains("2001:db8::abce"));
        assertFalse(set.contains("2001:db8::abcc"));
    }

    @Test
    void ipv6SlashZeroMatchesEveryAddressIncludingIpv4SinceMappedAddressesAreIpv4()
    {
        CidrSet set = set("::/0");
        assertTrue(set.contains("::"));
        assertTrue(set.contains("2606:4700::1111"));
        assertTrue(set.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertTrue(set.contains("::ffff:8.8.8.8"));
        assertTrue(set.contains("8.8.8.8"));
    }

    @Test
    void narrowerIpv6BlockOutsideMappedSpaceDoesNotMatchIpv4()
    {
        assertFalse(set("2000::/3").contains("8.8.8.8"));
        assertFalse(set("::1/128").contains("0.0.0.1"));
    }

    @Test
    void ipv4EntryMatchesIpv4MappedIpv6Address() throws Exception
    {
        CidrSet set = set("10.0.0.0/8");
        assertTrue(set.contains("::ffff:10.1.2.3"));
        assertTrue(set.contains("[::ffff:a01:203]"));
        assertTrue(set.contains(mappedInet6(10, 1, 2, 3)));
        assertFalse(set.contains(mappedInet6(11, 1, 2, 3)));
    }

    @Test
    void mappedEntryMatchesIpv4Address() throws Exception
    {
        assertTrue(set("::ffff:127.0.0.1").contains("127.0.0.1"));
        CidrSet block = set("::ffff:10.0.0.0/104");
        assertTrue(block.contains("10.9.9.9"));
        assertTrue(block.contains(mappedInet6(10, 9, 9, 9)));
        assertFalse(block.contains("11.0.0.0"));
    }

    @Test
    void ipv4CompatibleAddressIsNotTreatedAsIpv4()
    {
        assertFalse(set("127.0.0.0/8").contains("::127.0.0.1"));
        assertTrue(set("::127.0.0.1").contains("::7f00:1"));
    }

    @Test
    void loopbackKeywordCoversBothFamiliesAndMappedForm() throws Exception
    {
        CidrSet set = set("loopback");
        assertTrue(set.contains("127.0.0.1"));
        assertTrue(set.contains("127.255.255.255"));
        assertTrue(set.contains("::1"));
        assertTrue(set.contains("::ffff:127.0.0.1"));
        assertTrue(set.contains(mappedInet6(127, 0, 0, 1)));
        assertFalse(set.contains("128.0.0.1"));
        assertFalse(set.contains("::2"));
    }

    @Test
    void privateKeywordCoversRfc1918AndUniqueLocal()
    {
        CidrSet set = set("private");
        for (String inside : List.of("10.0.0.1", "172.16.0.0", "172.31.255.255", "192.168.0.1", "fc00::1", "fd12:3456::1"))
            assertTrue(set.contains(inside), inside);
        for (String outside : List.of("172.32.0.0", "172.15.255.255", "192.169.0.1", "11.0.0.1", "fe80::1", "127.0.0.1", "8.8.8.8"))
            assertFalse(set.contains(outside), outside);
    }

    @Test
    void linkLocalKeywordCoversBothFamilies()
    {
        CidrSet set = set("link-local");
        assertTrue(set.contains("169.254.169.254"));
        assertTrue(set.contains("fe80::1"));
        assertTrue(set.contains("febf:ffff::1"));
        assertFalse(set.contains("fec0::1"));
        assertFalse(set.contains("169.253.255.255"));
    }

    @Test
    void anyKeywordCoversEverything()
    {
        CidrSet set = set("any");
        assertTrue(set.contains("8.8.8.8"));
        assertTrue(set.contains("2606:4700::1111"));
        assertTrue(set.contains("::"));
    }

    @Test
    void keywordsIgnoreCaseAndSurroundingSpace()
    {
        CidrSet set = set(" Loopback ", "PRIVATE", " 192.0.2.0/24 ");
        assertTrue(set.contains("127.0.0.1"));
        assertTrue(set.contains("10.0.0.1"));
        assertTrue(set.contains("192.0.2.9"));
    }

    @Test
    void sizeCountsEntriesAndEmptySetMatchesNothing()
    {
        assertEquals(3, set("loopback", "10.0.0.0/8", "::1").size());
        assertFalse(set("loopback").isEmpty());
        assertTrue(CidrSet.EMPTY.isEmpty());
        assertEquals(0, CidrSet.EMPTY.size());
        assertTrue(set().isEmpty());
        assertFalse(CidrSet.EMPTY.contains("127.0.0.1"));
        assertFalse(CidrSet.EMPTY.contains("::1"));
    }

    @Test
    void stringLookupRejectsHostNamesAndNonLiterals()
    {
        CidrSet set = set("any");
        for (String notLiteral : List.of("localhost", "example.com", "10.0.0.1/8", "127.1", "2130706433", "", " 1.2.3.4"))
            assertFalse(set.contains(notLiteral), notLiteral);
        assertFalse(set.contains((String)null));
        assertFalse(set.contains((InetAddress)null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.256", "1.2.3",
        "example.com", "localhost", "", "   ", "10.0.0.0/a", "::1/+8", "10.0.0.0/0008", "010.0.0.0/8", "[1.2.3.4]",
        "fe80::1::2", "1.2.3.4.5", "*", "::ffff:10.0.0.0/129", "0x0a.0.0.0/8", "private-ish"})
    void rejectsBadEntryNamingKeyAndValue(String entry)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> CidrSet.parse("acl.deny", List.of("127.0.0.1", entry)));
        assertEquals("acl.deny", x.key());
        assertTrue(x.getMessage().startsWith("acl.deny "), x.getMessage());
        assertTrue(x.getMessage().contains("'" + entry + "'"), x.getMessage());
        assertTrue(x.getMessage().contains("loopback/private/link-local/any"), x.getMessage());
    }

    @Test
    void rejectsMissingEntryAsUnset()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> set("127.0.0.1", null));
        assertTrue(x.getMessage().contains("acl.allow"), x.getMessage());
        assertTrue(x.getMessage().contains("(unset)"), x.getMessage());
    }
}
