package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfGuardTest
{
    private static InetAddress ip(String literal)
    {
        InetAddress address = CidrSet.parseLiteral(literal);
        if (address == null)
            throw new IllegalArgumentException(literal);
        return address;
    }

    private static SsrfGuard guard(List<String> allowAddresses, List<String> allowHosts)
    {
        return new SsrfGuard(true, CidrSet.parse("ssrf.allow", allowAddresses), DomainMatcher.of("ssrf.allow", allowHosts));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "::1",                                      // loopback
        "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", // RFC 1918
        "169.254.0.1", "169.254.169.254", "fe80::1", "febf::1",                      // link-local, metadata
        "fc00::1", "fd00:ec2::254", "fdff::1",                                       // unique local
        "224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1",                        // multicast
        "0.0.0.0", "0.1.2.3", "::",                                                  // unspecified, "this network"
        "100.64.0.1", "100.127.255.255",                                             // CGNAT
        "255.255.255.255", "240.0.0.1",                                              // broadcast, reserved
        "192.0.0.192", "198.18.0.1", "fec0::1", "100::1"})                           // protocol, benchmarking, site-local, discard
    void internalAddressIsInternal(String literal)
    {
        assertTrue(SsrfGuard.isInternal(ip(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:7f00:1",
        "::127.0.0.1", "::10.1.1.1", "::169.254.169.254", "64:ff9b::127.0.0.1", "64:ff9b::a00:1",
        "64:ff9b::169.254.169.254", "64:ff9b:1::7f00:1", "2002:7f00:1::", "2002:a9fe:a9fe::1"})
    void ipv6FormOfInternalIpv4AddressIsInternal(String literal)
    {
        assertTrue(SsrfGuard.isInternal(ip(literal)), literal);
    }

    @Test
    void mappedAddressKeptAsInet6AddressIsInternal() throws Exception
    {
        byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xff, (byte)169, (byte)254, (byte)169, (byte)254};
        InetAddress mapped = Inet6Address.getByAddress(null, bytes, -1);
        assertTrue(mapped instanceof Inet6Address);
        assertTrue(SsrfGuard.isInternal(mapped));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "2606:4700::1111", "2001:4860:4860::8888", "93.184.216.34",
        "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0",
        "169.253.255.255", "126.255.255.255", "128.0.0.1", "223.255.255.255", "11.0.0.1", "9.255.255.255",
        "::ffff:8.8.8.8", "::8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1", "fbff::1", "fe7f::1"})
    void publicAddressIsNotInternal(String literal)
    {
        assertFalse(SsrfGuard.isInternal(ip(literal)), literal);
    }

    @Test
    void missingAddressCountsAsInternal()
    {
        assertTrue(SsrfGuard.isInternal(null));
    }

    @Test
    void permitsOnlyPublicAddressesKeepingTheirOrder()
    {
        SsrfGuard guard = guard(List.of(), List.of());
        List<InetAddress> resolved = List.of(ip("127.0.0.1"), ip("8.8.8.8"), ip("10.0.0.1"), ip("2606:4700::1111"), ip("::1"), ip("1.1.1.1"));
        assertEquals(List.of(ip("8.8.8.8"), ip("2606:4700::1111"), ip("1.1.1.1")), guard.permitted("rebind.example", resolved));
    }

    @Test
    void refusesHostResolvingOnlyInside()
    {
        SsrfGuard guard = guard(List.of(), List.of());
        assertEquals(List.of(), guard.permitted("metadata.example", List.of(ip("169.254.169.254"), ip("fd00:ec2::254"))));
        assertEquals(List.of(), guard.permitted("nothing.example", List.of()));
    }

    @Test
    void allowedAddressesAreReachableButOtherInternalOnesAreNot()
    {
        SsrfGuard guard = guard(List.of("10.1.0.0/16", "::1"), List.of());
        assertEquals(List.of(ip("10.1.2.3"), ip("::1")), guard.permitted("svc.example", List.of(ip("10.1.2.3"), ip("10.2.0.1"), ip("::1"), ip("127.0.0.1"))));
        assertTrue(guard.addressAllowed(ip("10.1.9.9")));
        assertFalse(guard.addressAllowed(ip("10.2.9.9")));
        assertTrue(guard.addressAllowed(ip("8.8.8.8")));
    }

    @Test
    void allowedHostMayReachEveryAddress()
    {
        SsrfGuard guard = guard(List.of(), List.of("intranet.example", "*.svc.cluster.local"));
        List<InetAddress> inside = List.of(ip("10.0.0.5"), ip("127.0.0.1"));
        assertEquals(inside, guard.permitted("intranet.example", inside));
        assertEquals(inside, guard.permitted("INTRANET.example.", inside));
        assertEquals(inside, guard.permitted("api.svc.cluster.local", inside));
        assertEquals(List.of(), guard.permitted("svc.cluster.local", inside));
        assertEquals(List.of(), guard.permitted("other.example", inside));
        assertTrue(guard.hostAllowed("intranet.example"));
        assertFalse(guard.hostAllowed("other.example"));
    }

    @Test
    void disabledGuardPermitsEverything()
    {
        SsrfGuard guard = new SsrfGuard(false, CidrSet.EMPTY, DomainMatcher.EMPTY);
        assertFalse(guard.enabled());
        List<InetAddress> inside = List.of(ip("127.0.0.1"), ip("169.254.169.254"));
        assertEquals(inside, guard.permitted("localhost", inside));
        assertTrue(guard.hostAllowed("anything.example"));
        assertTrue(guard.addressAllowed(ip("127.0.0.1")));
    }

    @Test
    void enabledGuardReportsEnabled()
    {
        assertTrue(guard(List.of(), List.of()).enabled());
        assertFalse(guard(List.of(), List.of()).hostAllowed("example.com"));
    }
}
