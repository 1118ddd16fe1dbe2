package dev.gatehouse.http;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceContextTest
{
    @Test
    void acceptsAWellFormedTraceparent()
    {
        assertEquals("0af7651916cd43dd8448eb211c80319c",
            TraceContext.traceId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    }

    @Test
    void rejectsMalformedOnes()
    {
        assertNull(TraceContext.traceId(null));
        assertNull(TraceContext.traceId("garbage"));
        assertNull(TraceContext.traceId("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01"), "upper-case hex");
        assertNull(TraceContext.traceId("00-00000000000000000000000000000000-b7ad6b7169203331-01"), "all-zero trace id");
        assertNull(TraceContext.traceId("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"), "all-zero span id");
        assertNull(TraceContext.traceId("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), "version ff");
        assertNull(TraceContext.traceId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra"), "version 00 has no extra fields");
    }

    @Test
    void newTraceparentsAreValidAndDistinct()
    {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++)
        {
            String tp = TraceContext.newTraceparent();
            assertTrue(tp.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), tp);
            assertEquals(tp.substring(3, 35), TraceContext.traceId(tp));
            seen.add(tp);
        }
        assertEquals(1000, seen.size());
    }
}
