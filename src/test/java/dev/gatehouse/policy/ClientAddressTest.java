package dev.gatehouse.policy;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientAddressTest
{
    private static final CidrSet TRUSTED = CidrSet.parse("trust.proxies", List.of("10.0.0.0/8", "::1"));

    private static String resolve(String peer, String... xff)
    {
        return ClientAddress.resolve(peer, Collections.enumeration(List.of(xff)), TRUSTED);
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItClaims()
    {
        assertEquals("203.0.113.5", resolve("203.0.113.5", "1.2.3.4"));
        assertEquals("203.0.113.5", ClientAddress.resolve("203.0.113.5", null, TRUSTED));
    }

    @Test
    void walksTheChainFromTheRightSkippingTrustedHops()
    {
        assertEquals("198.51.100.7", resolve("10.0.0.1", "198.51.100.7"));
        assertEquals("198.51.100.7", resolve("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.1.1"));
        assertEquals("198.51.100.7", resolve("10.0.0.1", "6.6.6.6", "198.51.100.7, 10.2.2.2"), "several header lines form one chain");
    }

    @Test
    void aChainOfOnlyTrustedHopsEndsAtTheLeftmost()
    {
        assertEquals("10.3.3.3", resolve("10.0.0.1", "10.3.3.3, 10.2.2.2"));
    }

    @Test
    void garbageInTheChainStopsAtTheLastAddressVouchedFor()
    {
        assertEquals("10.2.2.2", resolve("10.0.0.1", "198.51.100.7, not-an-ip, 10.2.2.2"));
        assertEquals("10.0.0.1", resolve("10.0.0.1", "unknown"));
    }

    @Test
    void ipv6PeersAndBracketsAreHandled()
    {
        assertEquals("2001:db8::9", resolve("[::1]", "2001:db8::9"));
        assertEquals("2001:db8::9", resolve("::1", "2001:db8::9"));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsNeverRead()
    {
        assertEquals("10.0.0.1", ClientAddress.resolve("10.0.0.1", Collections.enumeration(List.of("1.2.3.4")), CidrSet.EMPTY));
    }
}
