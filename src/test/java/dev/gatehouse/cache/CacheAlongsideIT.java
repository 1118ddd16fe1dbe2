package dev.gatehouse.cache;

import java.util.List;

import dev.gatehouse.support.CacheOrigin;
import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.Http;
import dev.gatehouse.support.WebSocketOrigin;
import dev.gatehouse.support.WsClient;
import org.junit.jupiter.api.Test;

import static dev.gatehouse.cache.CacheBasicsIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cache on, next to the other features that share the proxy's servlet context. */
class CacheAlongsideIT
{
    @Test
    void webSocketUpgradesOnACachedRoutePassUntouched() throws Exception
    {
        try (WebSocketOrigin upstream = new WebSocketOrigin();
             CacheOrigin origin = new CacheOrigin();
             Gatehouse proxy = Gatehouse.start("cache.enabled", "true", "routes", "ws,app",
                 "routes.ws.match.path", "/ws/", "routes.ws.strip-prefix", "true", "routes.ws.targets", upstream.url(),
                 "routes.app.targets", origin.url()))
        {
            // upgrades are GETs the cache must leave alone (no lookup, no collapsing of one URL)
            for (int i = 0; i < 3; i++)
            {
                try (WsClient a = WsClient.connect("ws://127.0.0.1:" + proxy.port() + "/ws/echo", List.of());
                     WsClient b = WsClient.connect("ws://127.0.0.1:" + proxy.port() + "/ws/echo", List.of()))
                {
                    a.send("one");
                    b.send("two");
                    assertEquals("one", a.nextText());
                    assertEquals("two", b.nextText());
                }
            }
            origin.on("/page", 200, "page", "Cache-Control", "max-age=60");
            Http.get(Http.direct(), proxy.url() + "/page");
            assertEquals("HIT", status(Http.get(Http.direct(), proxy.url() + "/page")));
        }
    }
}
