package dev.gatehouse.observe;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AccessLogValuesTest
{
    @Test
    void redactsNamedQueryParametersOnly()
    {
        Set<String> redact = Set.of("token", "api_key");
        assertEquals("?a=1&token=[redacted]&b=2", AccessLog.redactQuery("a=1&token=s3cret&b=2", redact));
        assertEquals("?API_KEY=[redacted]", AccessLog.redactQuery("API_KEY=x", redact), "names compare case-insensitively");
        assertEquals("?tokenx=1&token", AccessLog.redactQuery("tokenx=1&token", redact), "a bare name has no value to hide");
        assertEquals("", AccessLog.redactQuery(null, redact));
        assertEquals("?a=1", AccessLog.redactQuery("a=1", Set.of()));
    }

    @Test
    void escapesControlCharactersAndBoundsLength()
    {
        String forged = LogValues.safe("agent\r\n{\"level\":\"ERROR\"}", 256);
        assertFalse(forged.contains("\n") || forged.contains("\r"), forged);
        assertEquals("agent\\x0d\\x0a{\"level\":\"ERROR\"}", forged);
        assertEquals("abc…", LogValues.safe("abcdef", 3));
        assertEquals("-", LogValues.safe(null, 10));
    }
}
