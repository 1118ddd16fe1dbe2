package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.policy.DestinationPolicy.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationPolicyTest
{
    private static final DomainMatcher ALLOWED = DomainMatcher.of("filter.allowed", List.of("*.corp.example", "api.partner.example", "10.1.2.3"));
    private static final DomainMatcher BLOCKED = DomainMatcher.of("filter.blocked", List.of("secret.corp.example", "*.ads.example", "127.0.0.1"));

    private static DestinationPolicy policy(Mode mode)
    {
        return new DestinationPolicy(mode, ALLOWED, BLOCKED);
    }

    @Test
    void blocklistPermitsEverythingButBlockedHosts()
    {
        DestinationPolicy p = policy(Mode.BLOCKLIST);
        assertTrue(p.permits("anything.example"));
        assertTrue(p.permits("wiki.corp.example"));
        assertFalse(p.permits("secret.corp.example"));
        assertFalse(p.permits("x.ads.example"));
        assertTrue(p.permits("ads.example"));
    }

    @Test
    void allowlistPermitsOnlyAllowedHosts()
    {
        DestinationPolicy p = policy(Mode.ALLOWLIST);
        assertTrue(p.permits("wiki.corp.example"));
        assertTrue(p.permits("api.partner.example"));
        assertTrue(p.permits("10.1.2.3"));
        assertFalse(p.permits("corp.example"));
        assertFalse(p.permits("www.partner.example"));
        assertFalse(p.permits("anything.example"));
        // the block list plays no part in ALLOWLIST mode
        assertTrue(p.permits("secret.corp.example"));
    }

    @Test
    void mixedIsAnAllowlistWithBlockedExceptions()
    {
        DestinationPolicy p = policy(Mode.MIXED);
        assertTrue(p.permits("wiki.corp.example"));
        assertFalse(p.permits("secret.corp.example"));
        assertFalse(p.permits("anything.example"));
        assertFalse(p.permits("x.ads.example"));
    }

    @Test
    void blockedHostCannotBeReachedByRespellingIt()
    {
        DestinationPolicy p = policy(Mode.BLOCKLIST);
        for (String spelling : List.of("SECRET.Corp.Example", "secret.corp.example.", "X.ADS.example.", "127.1",
            "2130706433", "0x7f.0.0.1", "0177.0.0.1", "[::ffff:127.0.0.1]"))
            assertFalse(p.permits(spelling), spelling);
    }

    @Test
    void allowedInternationalisedHostIsPermittedInEitherSpelling()
    {
        DestinationPolicy p = new DestinationPolicy(Mode.ALLOWLIST, DomainMatcher.of("filter.allowed", List.of("*.bücher.example")), DomainMatcher.EMPTY);
        assertTrue(p.permits("shop.bücher.example"));
        assertTrue(p.permits("shop.xn--bcher-kva.example"));
        assertFalse(p.permits("bücher.example"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void invalidHostIsNeverPermitted(Mode mode)
    {
        DestinationPolicy permissive = new DestinationPolicy(mode, DomainMatcher.of("filter.allowed", List.of("*.example")), DomainMatcher.EMPTY);
        assertTrue(mode == Mode.BLOCKLIST || permissive.permits("ok.example"));
        for (String host : List.of("", "bad host.example", "a..example", "x.example:80", "user@x.example", "[x.example]"))
            assertFalse(permissive.permits(host), mode + " " + host);
        assertFalse(permissive.permits(null));
    }

    @Test
    void emptyListsMeanOpenBlocklistAndClosedAllowlist()
    {
        assertTrue(new DestinationPolicy(Mode.BLOCKLIST, DomainMatcher.EMPTY, DomainMatcher.EMPTY).permits("example.com"));
        assertFalse(new DestinationPolicy(Mode.ALLOWLIST, DomainMatcher.EMPTY, DomainMatcher.EMPTY).permits("example.com"));
        assertFalse(new DestinationPolicy(Mode.MIXED, DomainMatcher.EMPTY, DomainMatcher.EMPTY).permits("example.com"));
    }

    @Test
    void parsesModeIgnoringCaseAndSpace()
    {
        assertEquals(Mode.BLOCKLIST, DestinationPolicy.parseMode("filter.mode", "blocklist"));
        assertEquals(Mode.ALLOWLIST, DestinationPolicy.parseMode("filter.mode", "AllowList"));
        assertEquals(Mode.MIXED, DestinationPolicy.parseMode("filter.mode", " mixed "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "block", "allow-list", "deny", "blocklist,allowlist", "none"})
    void rejectsUnknownModeNamingKeyAndValue(String value)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> DestinationPolicy.parseMode("filter.mode", value));
        assertEquals("filter.mode", x.key());
        assertTrue(x.getMessage().startsWith("filter.mode "), x.getMessage());
        assertTrue(x.getMessage().contains("'" + value + "'"), x.getMessage());
    }

    @Test
    void rejectsMissingModeAsUnset()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> DestinationPolicy.parseMode("filter.mode", null));
        assertTrue(x.getMessage().contains("(unset)"), x.getMessage());
    }
}
