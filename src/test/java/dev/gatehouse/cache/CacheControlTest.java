package dev.gatehouse.cache;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheControlTest
{
    @Test
    void parsesDirectivesCaseInsensitivelyAcrossLines()
    {
        CacheControl cc = CacheControl.parse(List.of("Public, MAX-AGE=60", "s-maxage=30,must-revalidate"));
        assertTrue(cc.has("public"));
        assertEquals(60, cc.seconds("max-age"));
        assertEquals(30, cc.seconds("s-maxage"));
        assertTrue(cc.has("must-revalidate"));
    }

    @Test
    void firstOccurrenceWins()
    {
        assertEquals(10, CacheControl.parse("max-age=10, max-age=99").seconds("max-age"));
    }

    @Test
    void quotedArgumentsAndFieldNames()
    {
        CacheControl cc = CacheControl.parse("max-age=\"5\", no-cache=\"Set-Cookie, X-Secret\", private=\"A\"");
        assertEquals(5, cc.seconds("max-age"));
        assertEquals(List.of("set-cookie", "x-secret"), cc.fieldNames("no-cache"));
        assertFalse(cc.unqualified("no-cache"));
        assertFalse(cc.unqualified("private"));
        assertTrue(CacheControl.parse("no-cache").unqualified("no-cache"));
    }

    @Test
    void malformedValuesAreInvalidNotFatal()
    {
        CacheControl cc = CacheControl.parse("max-age=abc, s-maxage=-1, min-fresh=, ,,=x, foo=\"unterminated");
        assertEquals(CacheControl.INVALID, cc.seconds("max-age"));
        assertEquals(CacheControl.INVALID, cc.seconds("s-maxage"));
        assertEquals(CacheControl.INVALID, cc.seconds("min-fresh"));
        assertTrue(cc.has("foo"));
        assertEquals(CacheControl.ABSENT, cc.seconds("max-stale"));
    }

    @Test
    void unknownDirectivesAreKeptButHarmless()
    {
        CacheControl cc = CacheControl.parse("community=\"UCI\", max-age=3");
        assertTrue(cc.has("community"));
        assertEquals(3, cc.seconds("max-age"));
    }

    @Test
    void hugeDeltaSecondsAreCapped()
    {
        assertEquals(2147483648L, CacheControl.parse("max-age=99999999999999999999").seconds("max-age"));
        assertEquals(2147483648L, CacheControl.parse("max-age=2147483649").seconds("max-age"));
    }

    @Test
    void emptyAndNullInput()
    {
        assertTrue(CacheControl.parse((String)null).isEmpty());
        assertTrue(CacheControl.parse(List.of()).isEmpty());
        assertTrue(CacheControl.parse("").isEmpty());
    }
}
