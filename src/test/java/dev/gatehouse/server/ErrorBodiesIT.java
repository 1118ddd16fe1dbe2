package dev.gatehouse.server;

import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.RawHttp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error the proxy writes itself, on either listener, is the JSON error body with a code that fits its status. */
class ErrorBodiesIT
{
    static void assertJsonError(RawHttp.Reply reply, int status, String code, String what)
    {
        assertEquals(status, reply.status(), what + ": " + reply.body());
        assertTrue(String.valueOf(reply.header("Content-Type")).startsWith("application/json"), what + ": " + reply.headers());
        assertTrue(reply.body().startsWith("{\"error\":{\"code\":\"" + code + "\""), what + ": " + reply.body());
    }

    @Test
    void unsupportedHttpVersionSays505WithItsOwnCode() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            assertJsonError(RawHttp.exchange(proxy.port(), "GET / HTTP/1.2\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP/1.2 on the proxy listener");
            assertJsonError(RawHttp.exchange(proxy.adminPort(), "GET /health/liveness HTTP/1.2\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP/1.2 on the admin listener");
        }
    }

    @Test
    void connectWithAnOversizedAuthorityGetsAJsonBadRequest() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start())
        {
            String host = "a".repeat(8192);
            String[] hostHeaders = {"Host: " + host + ":443\r\n", "Host: 127.0.0.1\r\n", ""};
            for (String hostHeader : hostHeaders)
            {
                long start = System.nanoTime();
                RawHttp.Reply reply = RawHttp.exchange(proxy.port(),
                    "CONNECT " + host + ":443 HTTP/1.1\r\n" + hostHeader + "Connection: close\r\n\r\n");
                String what = "CONNECT with an 8 KiB authority and " + (hostHeader.isEmpty() ? "no Host" : hostHeader.substring(0, 12));
                assertJsonError(reply, 400, "BAD_REQUEST", what);
                assertTrue(!reply.body().contains("aaaaaaaa"), "the authority is not echoed");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), what + ": refused without a lookup");
            }
            assertJsonError(RawHttp.exchange(proxy.port(), "DELETE /x HTTP/1.2\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
                505, "HTTP_VERSION_NOT_SUPPORTED", "DELETE over HTTP/1.2");
        }
    }

    @Test
    void oddAdminPathsGetJsonErrors() throws Exception
    {
        try (Gatehouse proxy = Gatehouse.start("admin.token", "s3cret"))
        {
            for (String path : new String[]{"/admin//cache", "/Admin/cache", "/admin/cache/..%2f..%2fx", "/admin/%2e%2e/cache"})
            {
                for (String method : new String[]{"GET", "DELETE", "POST"})
                {
                    RawHttp.Reply reply = RawHttp.exchange(proxy.adminPort(), method + " " + path
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer s3cret\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    assertTrue(reply.status() >= 400, method + " " + path + ": " + reply.status());
                    assertTrue(String.valueOf(reply.header("Content-Type")).startsWith("application/json"), method + " " + path + ": " + reply.headers());
                    assertTrue(reply.body().startsWith("{\"error\":{\"code\":\""), method + " " + path + ": " + reply.status() + " " + reply.body());
                }
            }
        }
    }
}
