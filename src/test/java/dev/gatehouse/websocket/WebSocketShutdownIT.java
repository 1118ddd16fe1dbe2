package dev.gatehouse.websocket;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.support.Gatehouse;
import dev.gatehouse.support.WebSocketOrigin;
import dev.gatehouse.support.WsClient;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the proxy ends its WebSocket sessions cleanly on both legs. */
class WebSocketShutdownIT
{
    @Test
    void stoppingTheProxyClosesBothLegsWithGoingAway() throws Exception
    {
        try (WebSocketOrigin upstream = new WebSocketOrigin())
        {
            Gatehouse proxy = Gatehouse.start("routes", "ws", "routes.ws.targets", upstream.url(), "shutdown.grace", "2s");
            WsClient client = WsClient.connect("ws://127.0.0.1:" + proxy.port() + "/echo", List.of());
            client.send("hi");
            assertEquals("hi", client.nextText());
            proxy.close();
            String close = client.awaitClose();
            assertTrue(close.startsWith("1001"), close);
            String upstreamClose = upstream.closes.poll(10, TimeUnit.SECONDS);
            assertNotNull(upstreamClose);
            assertTrue(upstreamClose.startsWith("1001"), upstreamClose);
        }
    }
}
