package dev.gatehouse.compress;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CodingETagsTest
{
    @Test
    void appendsTheCodingInsideTheQuotes()
    {
        assertEquals("\"abc-gzip\"", CodingETags.tag("\"abc\"", Coding.GZIP));
        assertEquals("\"abc-br\"", CodingETags.tag("\"abc\"", Coding.BROTLI));
        assertEquals("W/\"abc-gzip\"", CodingETags.tag("W/\"abc\"", Coding.GZIP));
        assertEquals("\"abc\"", CodingETags.tag("\"abc\"", Coding.IDENTITY));
        assertNull(CodingETags.tag(null, Coding.GZIP));
    }

    @Test
    void stripsOnlyACodingSuffix()
    {
        assertEquals("\"abc\"", CodingETags.strip("\"abc-gzip\""));
        assertEquals("W/\"abc\"", CodingETags.strip("W/\"abc-br\""));
        assertEquals("\"abc-zip\"", CodingETags.strip("\"abc-zip\""));
        assertEquals("\"-gzip\"", CodingETags.strip("\"-gzip\""), "a tag that is only the suffix is the upstream's own");
        assertEquals("\"\"", CodingETags.strip("\"\""));
    }

    @Test
    void stripsEveryTagOfAList()
    {
        assertEquals("\"a\", W/\"b\", \"c\"", CodingETags.stripList("\"a-gzip\", W/\"b-br\", \"c\""));
        assertNull(CodingETags.stripList("\"a\", \"b\""), "nothing to change");
        assertNull(CodingETags.stripList("*"));
    }

    @Test
    void aNotModifiedAnswersTheTagTheClientSent()
    {
        assertEquals(Coding.GZIP, CodingETags.answered("\"x\", \"v1-gzip\"", "\"v1\""));
        assertEquals(Coding.BROTLI, CodingETags.answered("W/\"v1-br\"", "\"v1\""));
        assertEquals(Coding.IDENTITY, CodingETags.answered("\"v1\"", "\"v1\""));
        assertEquals(Coding.IDENTITY, CodingETags.answered("\"v2-gzip\"", "\"v1\""));
    }

    @Test
    void anIfRangeNamingACompressedBodyAsksForTheWholeBody()
    {
        HttpFields.Mutable h = HttpFields.build().add("If-None-Match", "\"v1-gzip\"").add("If-Match", "\"v1-br\"")
            .add("Range", "bytes=0-9").add("If-Range", "\"v1-gzip\"");
        CodingETags.forUpstream(h);
        assertEquals("\"v1\"", h.get("If-None-Match"));
        assertEquals("\"v1\"", h.get("If-Match"));
        assertNull(h.get("Range"));
        assertNull(h.get("If-Range"));
        HttpFields.Mutable identity = HttpFields.build().add("Range", "bytes=0-9").add("If-Range", "\"v1\"");
        CodingETags.forUpstream(identity);
        assertEquals("bytes=0-9", identity.get("Range"));
    }
}
