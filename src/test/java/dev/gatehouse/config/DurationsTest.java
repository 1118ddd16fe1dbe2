package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest
{
    @Test
    void parsesEveryUnit()
    {
        assertEquals(Duration.ofMillis(250), Durations.parse("k", "250ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("k", "30s"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("k", "5m"));
        assertEquals(Duration.ofHours(1), Durations.parse("k", "1h"));
        assertEquals(Duration.ofDays(2), Durations.parse("k", "2d"));
    }

    @Test
    void parsesZero()
    {
        assertEquals(Duration.ZERO, Durations.parse("k", "0s"));
        assertEquals(Duration.ZERO, Durations.parse("k", "0ms"));
    }

    @Test
    void toleratesSurroundingSpaceAndUpperCaseUnit()
    {
        assertEquals(Duration.ofSeconds(30), Durations.parse("k", "  30s "));
        assertEquals(Duration.ofSeconds(30), Durations.parse("k", "30S"));
        assertEquals(Duration.ofMillis(7), Durations.parse("k", "7MS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5x", "-1s", "s", "", "1.5s", "5 sec", "+5s", "s5", "1234567890123s", "5ns"})
    void rejectsValueWithoutValidNumberAndUnitNamingKeyAndValue(String value)
    {
        ConfigException x = assertThrows(ConfigException.class, () -> Durations.parse("timeouts.idle", value));
        assertEquals("timeouts.idle", x.key());
        assertTrue(x.getMessage().startsWith("timeouts.idle "), x.getMessage());
        assertTrue(x.getMessage().contains("'" + value + "'"), x.getMessage());
    }

    @Test
    void rejectsMissingValueAsUnset()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> Durations.parse("timeouts.idle", null));
        assertTrue(x.getMessage().contains("timeouts.idle"), x.getMessage());
        assertTrue(x.getMessage().contains("(unset)"), x.getMessage());
    }

    @Test
    void rejectsDurationTooLargeToUseInMilliseconds()
    {
        // 12 digits of days pass the digit limit but overflow Duration.toMillis(), which the
        // server calls on every timeout: the value must be refused as configuration, not crash later.
        ConfigException x = assertThrows(ConfigException.class,
            () -> Durations.parse("timeouts.idle", "999999999999d").toMillis());
        assertTrue(x.getMessage().contains("'999999999999d'"), x.getMessage());
    }

    @Test
    void formatsWithLargestWholeUnit()
    {
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
        assertEquals("24h", Durations.format(Duration.ofDays(1)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1ms", "999ms", "1s", "59s", "61s", "1m", "59m", "61m", "1h", "3d", "36h"})
    void formatOutputParsesBackToSameDuration(String text)
    {
        Duration d = Durations.parse("k", text);
        assertEquals(d, Durations.parse("k", Durations.format(d)));
    }
}
