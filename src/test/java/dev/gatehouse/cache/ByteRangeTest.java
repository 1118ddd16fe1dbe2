package dev.gatehouse.cache;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.FreshnessTest.T;
import static dev.gatehouse.cache.FreshnessTest.date;
import static dev.gatehouse.cache.FreshnessTest.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class ByteRangeTest
{
    static final HttpFields STORED = fields("ETag", "\"s\"", "Last-Modified", date(T));

    static ByteRange of(String range)
    {
        return ByteRange.of(range, null, STORED, 100);
    }

    @Test
    void singleRanges()
    {
        assertEquals(new ByteRange(0, 9, false, false), of("bytes=0-9"));
        assertEquals(new ByteRange(90, 99, false, false), of("bytes=90-"));
        assertEquals(new ByteRange(90, 99, false, false), of("bytes=-10"));
        assertEquals(new ByteRange(0, 99, false, false), of("bytes=-1000"));
        assertEquals(new ByteRange(50, 99, false, false), of("BYTES = 50-1000".replace(" = ", "=")));
        assertEquals(10, of("bytes=0-9").length());
    }

    @Test
    void unsatisfiable()
    {
        assertSame(ByteRange.UNSATISFIABLE, of("bytes=100-"));
        assertSame(ByteRange.UNSATISFIABLE, of("bytes=-0"));
    }

    @Test
    void leftToTheOrigin()
    {
        assertNull(of("bytes=0-1,5-6"));
        assertNull(of("items=0-1"));
        assertNull(of("bytes=5-1"));
        assertNull(of("bytes=-"));
        assertNull(of("bytes=a-b"));
        assertNull(of(null));
    }

    @Test
    void ifRange()
    {
        assertEquals(new ByteRange(0, 0, false, false), ByteRange.of("bytes=0-0", "\"s\"", STORED, 100));
        assertSame(ByteRange.WHOLE, ByteRange.of("bytes=0-0", "W/\"s\"", STORED, 100));
        assertSame(ByteRange.WHOLE, ByteRange.of("bytes=0-0", "\"t\"", STORED, 100));
        assertEquals(new ByteRange(0, 0, false, false), ByteRange.of("bytes=0-0", date(T), STORED, 100));
        assertSame(ByteRange.WHOLE, ByteRange.of("bytes=0-0", date(T - 1000), STORED, 100));
    }
}
