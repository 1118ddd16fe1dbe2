package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainMatcherTest
{
    private static DomainMatcher matcher(String... entries)
    {
        return DomainMatcher.of("filter.blocked", Arrays.asList(entries));
    }

    @Test
    void exactRuleMatchesOnlyThatName()
    {
        DomainMatcher m = matcher("example.com");
        assertTrue(m.matches("example.com"));
        assertFalse(m.matches("www.example.com"));
        assertFalse(m.matches("example.org"));
        assertFalse(m.matches("notexample.com"));
        assertFalse(m.matches("com"));
    }

    @Test
    void wildcardMatchesSubdomainsAtAnyDepthButNotTheApex()
    {
        DomainMatcher m = matcher("*.example.com");
        assertTrue(m.matches("www.example.com"));
        assertTrue(m.matches("a.b.c.example.com"));
        assertFalse(m.matches("example.com"));
        assertFalse(m.matches("badexample.com"));
        assertFalse(m.matches("example.com.evil.net"));
        assertFalse(m.matches("www.example.org"));
    }

    @Test
    void wildcardAndApexTogetherMatchBoth()
    {
        DomainMatcher m = matcher("example.com", "*.example.com");
        assertTrue(m.matches("example.com"));
        assertTrue(m.matches("deep.sub.example.com"));
        assertEquals(2, m.size());
    }

    @Test
    void wildcardOnTopLevelDomainMatchesEveryNameUnderIt()
    {
        DomainMatcher m = matcher("*.test");
        assertTrue(m.matches("anything.test"));
        assertFalse(m.matches("test"));
    }

    @Test
    void matchingIgnoresCaseOnBothSides()
    {
        DomainMatcher m = matcher("Example.COM", "*.Tracker.NET");
        assertTrue(m.matches("EXAMPLE.com"));
        assertTrue(m.matches("Ads.TRACKER.net"));
    }

    @Test
    void matchingIgnoresOneTrailingDotOnBothSides()
    {
        DomainMatcher m = matcher("example.com.", "*.tracker.net");
        assertTrue(m.matches("example.com"));
        assertTrue(m.matches("example.com."));
        assertTrue(m.matches("ads.tracker.net."));
        assertFalse(m.matches("example.com.."));
    }

    @Test
    void internationalisedNamesAreComparedInPunycode()
    {
        DomainMatcher m = matcher("*.bücher.example", "münchen.example");
        assertTrue(m.matches("www.xn--bcher-kva.example"));
        assertTrue(m.matches("shop.BÜCHER.example"));
        assertTrue(m.matches("a.b.bücher.example"));
        assertFalse(m.matches("xn--bcher-kva.example"));
        assertTrue(m.matches("xn--mnchen-3ya.example"));
        assertTrue(m.matches("MÜNCHEN.example"));
        assertTrue(matcher("*.xn--bcher-kva.example").matches("www.bücher.example"));
    }

    @Test
    void ipEntriesMatchExactlyInAnySpelling()
    {
        DomainMatcher m = matcher("10.0.0.1", "::1", "127.0.0.1");
        assertTrue(m.matches("10.0.0.1"));
        assertFalse(m.matches("10.0.0.2"));
        assertTrue(m.matches("[::1]"));
        assertTrue(m.matches("0:0:0:0:0:0:0:1"));
        assertTrue(m.matches("127.1"));
        assertTrue(m.matches("0x7f000001"));
        assertTrue(m.matches("2130706433"));
        assertTrue(m.matches("[::ffff:127.0.0.1]"));
        assertFalse(m.matches("127.0.0.2"));
    }

    @Test
    void wildcardNeverMatchesAnIpLiteral()
    {
        DomainMatcher m = matcher("*.in-addr.arpa", "*.com");
        assertFalse(m.matches("10.0.0.1"));
        assertTrue(m.matches("1.0.0.10.in-addr.arpa"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa mple.com", "a..b", ".example.com", "example.com..", "user@example.com",
        "example.com:80", "*.example.com", "ex/ample.com", "exa%mple.com", "[example.com]", "[::1", "1.2.3.4:80",
        "ex\u0000ample.com", "example.com\n"})
    void invalidHostsMatchNothingAndNormaliseToNull(String host)
    {
        assertNull(DomainMatcher.normalizeHost(host));
        assertFalse(matcher("example.com", "*.example.com", "*.com").matches(host));
    }

    @Test
    void labelsAndNamesOverTheDnsLimitsAreInvalid()
    {
        String label63 = "a".repeat(63);
        assertEquals(label63 + ".com", DomainMatcher.normalizeHost(label63 + ".com"));
        assertNull(DomainMatcher.normalizeHost("a" + label63 + ".com"));
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        assertEquals(253, name253.length());
        assertEquals(name253, DomainMatcher.normalizeHost(name253));
        assertNull(DomainMatcher.normalizeHost(name253 + "b"));
        assertNull(DomainMatcher.normalizeHost(null));
    }

    @ParameterizedTest
    @CsvSource({
        "WWW.Example.COM., www.example.com",
        "[::1], ::1",
        "[2001:DB8:0:0:0:0:0:1], 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "[::ffff:10.0.0.1], 10.0.0.1",
        "bücher.example, xn--bcher-kva.example",
        "0177.0.0.1, 127.0.0.1",
        "my_host.internal, my_host.internal",
        "1.2.3.4, 1.2.3.4"})
    void normalisesHostToTheComparedForm(String host, String expected)
    {
        assertEquals(expected, DomainMatcher.normalizeHost(host));
        assertEquals(expected, DomainMatcher.normalizeHost(expected), "normalisation must be idempotent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.", "a.*.com", "**.example.com", "*example.com", "exa mple.com", "", "   ",
        "http://example.com", "example.com/path", "*.1.2.3.4", "*.::1", "example.com:443", "ex_ample..com"})
    void rejectsBadEntryNamingKeyAndValue(String entry)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> DomainMatcher.of("filter.allowed", List.of("ok.example", entry)));
        assertEquals("filter.allowed", x.key());
        assertTrue(x.getMessage().startsWith("filter.allowed "), x.getMessage());
        assertTrue(x.getMessage().contains("'" + entry + "'"), x.getMessage());
    }

    @Test
    void sizeCountsDistinctRulesAndEmptyMatchesNothing()
    {
        assertEquals(3, matcher("a.example", "A.example.", "*.a.example", "b.example").size());
        assertEquals(0, DomainMatcher.EMPTY.size());
        assertFalse(DomainMatcher.EMPTY.matches("example.com"));
        assertFalse(matcher().matches("example.com"));
    }

    @Test
    void unionHoldsTheRulesOfBoth()
    {
        DomainMatcher union = DomainMatcher.union(matcher("a.example"), matcher("*.b.example"));
        assertTrue(union.matches("a.example"));
        assertTrue(union.matches("x.b.example"));
        assertFalse(union.matches("b.example"));
        assertEquals(2, union.size());
        DomainMatcher one = matcher("a.example");
        assertSame(one, DomainMatcher.union(one, DomainMatcher.EMPTY));
    }
}
