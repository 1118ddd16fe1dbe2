package dev.gatehouse.cache;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.FreshnessTest.fields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StorabilityTest
{
    static String refusal(String requestCc, boolean auth, int status, String... headers)
    {
        HttpFields h = fields(headers);
        return Storability.refusal("GET", CacheControl.parse(requestCc), auth, false, status, h,
            CacheControl.parse(h.getValuesList("Cache-Control")));
    }

    @Test
    void explicitFreshnessOrValidatorIsStorable()
    {
        assertNull(refusal(null, false, 200, "Cache-Control", "max-age=5"));
        assertNull(refusal(null, false, 200, "ETag", "\"x\""));
        assertNull(refusal(null, false, 404, "Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"));
        assertNull(refusal(null, false, 302, "Cache-Control", "max-age=5"));
    }

    @Test
    void refusals()
    {
        assertEquals("no-freshness-or-validator", refusal(null, false, 200));
        assertEquals("not-cacheable-status", refusal(null, false, 302, "ETag", "\"x\""));
        assertEquals("no-store", refusal(null, false, 200, "Cache-Control", "no-store, max-age=5"));
        assertEquals("request-no-store", refusal("no-store", false, 200, "Cache-Control", "max-age=5"));
        assertEquals("private", refusal(null, false, 200, "Cache-Control", "private, max-age=5"));
        assertEquals("authorization", refusal(null, true, 200, "Cache-Control", "max-age=5"));
        assertEquals("set-cookie", refusal(null, false, 200, "Cache-Control", "max-age=5", "Set-Cookie", "a=b"));
        assertEquals("vary-star", refusal(null, false, 200, "Cache-Control", "max-age=5", "Vary", "Accept, *"));
        assertEquals("status", refusal(null, false, 206, "Cache-Control", "max-age=5"));
        assertNull(refusal(null, false, 299, "Cache-Control", "max-age=5"), "an unknown final status with explicit freshness");
        assertEquals("not-cacheable-status", refusal(null, false, 299, "ETag", "\"x\""));
        assertEquals("status", refusal(null, false, 299, "Cache-Control", "max-age=5, must-understand"));
        assertEquals("status", refusal(null, false, 304, "Cache-Control", "max-age=5"));
        assertEquals("range", Storability.refusal("GET", CacheControl.EMPTY, false, true, 200, fields("ETag", "\"x\""), CacheControl.EMPTY));
        assertEquals("method", Storability.refusal("POST", CacheControl.EMPTY, false, false, 200, fields("ETag", "\"x\""), CacheControl.EMPTY));
    }

    @Test
    void authorizationWithPublicSMaxageOrMustRevalidate()
    {
        assertNull(refusal(null, true, 200, "Cache-Control", "public, max-age=5"));
        assertNull(refusal(null, true, 200, "Cache-Control", "s-maxage=5"));
        assertNull(refusal(null, true, 200, "Cache-Control", "must-revalidate, max-age=5"));
    }

    @Test
    void qualifiedPrivateAndMustUnderstand()
    {
        assertNull(refusal(null, false, 200, "Cache-Control", "private=\"X-User\", max-age=5"));
        assertNull(refusal(null, false, 200, "Cache-Control", "must-understand, no-store, max-age=5"));
    }
}
