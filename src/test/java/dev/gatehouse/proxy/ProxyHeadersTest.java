package dev.gatehouse.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProxyHeadersTest
{
    private static boolean via(String proxyId, String... values)
    {
        return ProxyHeaders.viaNames(Collections.enumeration(List.of(values)), proxyId);
    }

    @Test
    void viaNamesSingleHop()
    {
        assertTrue(via("abc", "1.1 abc"));
    }

    @Test
    void viaNamesLaterHopInChain()
    {
        assertTrue(via("abc", "1.0 x, 1.1 abc"));
        assertTrue(via("abc", "1.1 abc, 1.0 x"));
        assertTrue(via("abc", "1.0 x,1.1 abc"));
    }

    @Test
    void viaNamesHopWithComment()
    {
        assertTrue(via("abc", "1.1 abc (Gatehouse)"));
    }

    @Test
    void viaDoesNotMatchLongerOrShorterPseudonym()
    {
        assertFalse(via("abc", "1.1 abcd"));
        assertFalse(via("abc", "1.1 xabc"));
        assertFalse(via("abc", "1.1 ab"));
        assertFalse(via("abc", "1.1 abc.d"));
    }

    @Test
    void viaFindsIdAfterAFalseCandidate()
    {
        assertTrue(via("abc", "1.1 abcd, 1.1 abc"));
    }

    @Test
    void viaLooksAtEveryHeaderValue()
    {
        assertTrue(via("abc", "1.1 other", "1.1 abc"));
        assertFalse(via("abc", "1.1 other", "1.0 more"));
    }

    @Test
    void viaWithoutHeadersNamesNothing()
    {
        assertFalse(ProxyHeaders.viaNames(null, "abc"));
        assertFalse(via("abc"));
    }
}
