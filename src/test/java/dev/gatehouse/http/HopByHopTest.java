package dev.gatehouse.http;

import java.util.Set;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopByHopTest
{
    @Test
    void connectionListedCollectsHopByHopNamesLowerCase()
    {
        HttpFields fields = HttpFields.build()
            .add("Connection", "close, X-Secret")
            .add("Connection", "Keep-Alive, x-other")
            .add("Content-Type", "text/plain");
        assertEquals(Set.of("x-secret", "x-other"), HopByHop.connectionListed(fields));
    }

    @Test
    void connectionListedIsNullForOnlyCloseOrKeepAlive()
    {
        assertNull(HopByHop.connectionListed(HttpFields.build().add("Connection", "close")));
        assertNull(HopByHop.connectionListed(HttpFields.build().add("Connection", "keep-alive")));
        assertNull(HopByHop.connectionListed(HttpFields.build()));
    }

    @Test
    void knowsTheFixedHopByHopHeaders()
    {
        for (String name : new String[] {"Connection", "keep-alive", "Proxy-Authorization", "Proxy-Authenticate", "Proxy-Connection",
            "Transfer-Encoding", "TE", "Trailer", "Upgrade"})
            assertTrue(HopByHop.is(new HttpField(name, "x")), name);
        assertFalse(HopByHop.is(new HttpField("Content-Type", "text/plain")));
        assertFalse(HopByHop.is(new HttpField("X-Custom", "1")));
    }
}
