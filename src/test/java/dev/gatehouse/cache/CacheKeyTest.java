package dev.gatehouse.cache;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheKeyTest
{
    @Test
    void keyHasSchemeHostPortPathQuery()
    {
        assertEquals("GET http://example.com:80/a%2Fb?x=1", CacheKey.of("HTTP", "Example.COM", -1, "/a%2Fb", "x=1", false));
        assertEquals("GET https://example.com:443/", CacheKey.of("https", "example.com", 443, "", null, false));
        assertNotEquals(CacheKey.of("http", "h", 80, "/p", "b=2&a=1", false), CacheKey.of("http", "h", 80, "/p", "a=1&b=2", false));
        assertEquals(CacheKey.of("http", "h", 80, "/p", "b=2&a=1", true), CacheKey.of("http", "h", 80, "/p", "a=1&b=2", true));
        assertNotEquals(CacheKey.of("http", "h", 80, "/p", null, false), CacheKey.of("http", "h", 80, "/p", "", false));
    }

    @Test
    void hostAndPathForPurge()
    {
        assertEquals("example.com/img/a.png", CacheKey.hostAndPath(CacheKey.of("http", "example.com", 8080, "/img/a.png", "v=1", false)));
    }

    @Test
    void globs()
    {
        assertTrue(Glob.compile("/static/*").matches("/static/a/b.css"));
        assertFalse(Glob.compile("/static/*").matches("/api/static/x"));
        assertTrue(Glob.compile("*.png").matches("/img/a.png"));
        assertTrue(Glob.compile("/a?c").matches("/abc"));
        assertTrue(Glob.compile("/a.(b)").matches("/a.(b)"));
        assertFalse(Glob.compile("/a.(b)").matches("/aX(b)"));
    }

    @Test
    void sameOriginLocation()
    {
        CacheTarget t = new CacheTarget("http", "example.com", 80, "/api/orders", false);
        assertEquals(CacheKey.of("http", "example.com", 80, "/items/7", null, false), t.sameOriginKey("/items/7"));
        assertEquals(CacheKey.of("http", "example.com", 80, "/x", "y=1", false), t.sameOriginKey("http://EXAMPLE.com/x?y=1"));
        assertNull(t.sameOriginKey("http://other.com/x"));
        assertNull(t.sameOriginKey("https://example.com/x"));
        assertNull(t.sameOriginKey("::not a uri::"));
        assertEquals(CacheKey.of("http", "example.com", 80, "/api/orders/9", null, false), t.sameOriginKey("orders/9"));
    }
}
