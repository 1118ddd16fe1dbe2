package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CidrSet#parseLiteral}: strict, and never a DNS lookup. */
class CidrSetLiteralTest
{
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "1.2.3.4", "10.0.0.1", "192.168.100.200"})
    void parsesDottedQuad(String text)
    {
        InetAddress address = CidrSet.parseLiteral(text);
        assertInstanceOf(Inet4Address.class, address);
        assertEquals(text, address.getHostAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1.2.3.00",
        "0x7f.0.0.1", "127.1", "2130706433", " 1.2.3.4", "1.2.3.4 ", "1.2.3.-4", "+1.2.3.4", "1..2.3",
        "\uff11.2.3.4", "1.2.3.4a", "1000.2.3.4"})
    void refusesAnythingButAStrictDottedQuad(String text)
    {
        assertNull(CidrSet.parseLiteral(text));
    }

    @Test
    void parsesIpv6WithOrWithoutBrackets()
    {
        InetAddress bare = CidrSet.parseLiteral("2001:db8::1");
        assertInstanceOf(Inet6Address.class, bare);
        assertEquals(bare, CidrSet.parseLiteral("[2001:db8::1]"));
        assertEquals(bare, CidrSet.parseLiteral("2001:DB8:0:0:0:0:0:1"));
        assertEquals(CidrSet.parseLiteral("::1"), CidrSet.parseLiteral("[0:0:0:0:0:0:0:1]"));
    }

    @Test
    void dropsZoneIdentifier()
    {
        InetAddress plain = CidrSet.parseLiteral("fe80::1");
        assertArrayEquals(plain.getAddress(), CidrSet.parseLiteral("fe80::1%eth0").getAddress());
        assertArrayEquals(plain.getAddress(), CidrSet.parseLiteral("[fe80::1%25eth0]").getAddress());
    }

    @Test
    void mappedIpv6ComesBackAsIpv4()
    {
        InetAddress address = CidrSet.parseLiteral("::ffff:10.0.0.1");
        assertInstanceOf(Inet4Address.class, address);
        assertEquals("10.0.0.1", address.getHostAddress());
        assertEquals("10.0.0.1", CidrSet.parseLiteral("[::ffff:a00:1]").getHostAddress());
    }

    @Test
    void compatibleIpv6StaysIpv6()
    {
        assertInstanceOf(Inet6Address.class, CidrSet.parseLiteral("::1.2.3.4"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1", "::1]", "[]", "[", "1::2::3", ":::", "g::1", "[1.2.3.4]", "1.2.3.4:80", "::1%",
        "fe80::1%eth 0", "fe80::1%eth0/1", "[::1]:80", "1:2:3:4:5:6:7:8:9", "12345::1", "::ffff:1.2.3.256", "[[::1]]"})
    void refusesMalformedIpv6(String text)
    {
        assertNull(CidrSet.parseLiteral(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "ip6-localhost", "cafe", "beef.dead", "a", ""})
    void refusesHostNames(String text)
    {
        assertNull(CidrSet.parseLiteral(text));
    }

    @Test
    void refusesNull()
    {
        assertNull(CidrSet.parseLiteral(null));
    }

    @Test
    void neverResolvesNamesEvenOnesThatWouldResolve()
    {
        // "localhost" always resolves; a lookup of an unresolvable name would stall on DNS: both come back null at once
        assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
        {
            for (int i = 0; i < 1000; i++)
            {
                assertNull(CidrSet.parseLiteral("localhost"));
                assertNull(CidrSet.parseLiteral("host-" + i + ".gatehouse-test.invalid"));
            }
        });
        assertNotNull(CidrSet.parseLiteral("127.0.0.1"));
    }
}
