package dev.gatehouse.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcceptEncodingTest
{
    @Test
    void noHeaderMeansIdentity()
    {
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate(null, true));
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("  ", true));
    }

    @Test
    void prefersBrotliWhenEquallyAcceptable()
    {
        assertEquals(Coding.BROTLI, AcceptEncoding.negotiate("gzip, deflate, br", true));
        assertEquals(Coding.BROTLI, AcceptEncoding.negotiate("gzip;q=0.5, br;q=0.5", true));
    }

    @Test
    void followsQValues()
    {
        assertEquals(Coding.BROTLI, AcceptEncoding.negotiate("br;q=1, gzip;q=0.8", true));
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("br;q=0.2, gzip;q=0.8", true));
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("br;q=0, gzip", true));
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("gzip;q=0, br;q=0", true));
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("GZIP ; Q=0.3", true));
    }

    @Test
    void wildcardCoversUnlistedCodings()
    {
        assertEquals(Coding.BROTLI, AcceptEncoding.negotiate("*", true));
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("*;q=0.5, br;q=0.1", true));
        assertEquals(Coding.BROTLI, AcceptEncoding.negotiate("gzip;q=0, *", true));
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("*;q=0", true));
    }

    @Test
    void identityOnlyOrUnknownCodingsGetIdentity()
    {
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("identity", true));
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("deflate, zstd", true));
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("identity;q=0, gzip", true));
    }

    @Test
    void fallsBackToGzipWithoutBrotli()
    {
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("br, gzip", false));
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("*", false));
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("br", false));
    }

    @Test
    void malformedQualityIsNotAcceptable()
    {
        assertEquals(Coding.GZIP, AcceptEncoding.negotiate("br;q=high, gzip;q=0.1", true));
        assertEquals(Coding.IDENTITY, AcceptEncoding.negotiate("gzip;q=2", true));
        assertEquals(0.8, AcceptEncoding.quality(" level=1; q=0.8"));
    }
}
