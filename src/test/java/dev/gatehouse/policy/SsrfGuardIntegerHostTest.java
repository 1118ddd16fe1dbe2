package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SsrfGuard#normalizeIntegerHost}: the inet_aton spellings of an IPv4 address. */
class SsrfGuardIntegerHostTest
{
    @ParameterizedTest
    @CsvSource({
        "2130706433, 127.0.0.1",         // one decimal integer
        "0x7f000001, 127.0.0.1",         // one hex integer
        "0X7F000001, 127.0.0.1",
        "017700000001, 127.0.0.1",       // one octal integer
        "0, 0.0.0.0",
        "4294967295, 255.255.255.255",
        "127.1, 127.0.0.1",              // two parts: a.b (b is 24 bits)
        "10.65535, 10.0.255.255",
        "169.16689662, 169.254.169.254",
        "127.0.1, 127.0.0.1",            // three parts: a.b.c (c is 16 bits)
        "169.254.43518, 169.254.169.254",
        "0177.0.0.1, 127.0.0.1",         // octal part
        "0x7f.0.0.1, 127.0.0.1",         // hex part
        "0x7f.1, 127.0.0.1",
        "0xA9.0376.0xa9.0376, 169.254.169.254",
        "00000000177.0.0.1, 127.0.0.1",  // any number of leading zeros
        "01.02.03.04, 1.2.3.4",
        "127.1., 127.0.0.1"})            // one trailing dot
    void rewritesIntegerFormAsDottedQuad(String host, String expected)
    {
        assertEquals(expected, SsrfGuard.normalizeIntegerHost(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1.2.3.4", "localhost", "127.0.0.1.example", "1e100.net", "0x7f.example",
        "cafe", "::1", "[::1]", "", "1.2.3.4.5", "1..2", ".1.2.3", "0x", "0x.1", "08.0.0.1", "09", "0xg1",
        "-1", "+1", " 1", "1 ", "1.2.3.4:80", "\uff11\uff12\uff17.0.0.1"})
    void leavesOtherHostsUnchanged(String host)
    {
        assertEquals(host, SsrfGuard.normalizeIntegerHost(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296", "0x100000000", "040000000000", "256.1", "1.16777216", "1.256.1",
        "1.1.65536", "256.0.0.1", "1.2.3.256", "0x100.0.0.1", "0400.0.0.1", "99999999999999999999999"})
    void leavesOutOfRangeValuesUnchanged(String host)
    {
        assertEquals(host, SsrfGuard.normalizeIntegerHost(host));
    }

    @Test
    void returnsTheSameInstanceWhenNothingChangesAndNullForNull()
    {
        String host = "example.com";
        assertSame(host, SsrfGuard.normalizeIntegerHost(host));
        assertNull(SsrfGuard.normalizeIntegerHost(null));
    }

    @Test
    void everyIntegerSpellingOfLoopbackEndsUpInternal()
    {
        for (String host : new String[] {"2130706433", "0x7f000001", "017700000001", "127.1", "127.0.1", "0177.0.0.1", "0x7f.0.0.1"})
            assertTrue(SsrfGuard.isInternal(CidrSet.parseLiteral(SsrfGuard.normalizeIntegerHost(host))), host);
    }
}
