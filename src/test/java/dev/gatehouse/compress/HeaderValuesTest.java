package dev.gatehouse.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
