package dev.gatehouse.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HeaderValuesTest
{
    @Test
    void addsAcceptEncodingToVaryOnce()
    {
        assertEquals("Accept-Encoding", HeaderValues.varyWithAcceptEncoding(null));
        assertEquals("Origin, Accept-Encoding", HeaderValues.varyWithAcceptEncoding("Origin"));
        assertEquals("origin, accept-encoding", HeaderValues.varyWithAcceptEncoding("origin, accept-encoding"));
        assertEquals("*", HeaderValues.varyWithAcceptEncoding("*"));
    }

    @Test
    void weakensStrongETags()
    {
        assertEquals("W/\"v1\"", HeaderValues.weakETag("\"v1\""));
        assertEquals("W/\"v1\"", HeaderValues.weakETag("W/\"v1\""));
        assertNull(HeaderValues.weakETag(null));
    }
}
