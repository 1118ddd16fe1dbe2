package dev.gatehouse.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;

import jakarta.websocket.Session;

/**
 * One direction of a session. Each fragment is written to the other leg with a blocking send
 * before the next one is read, so a slow reader slows the writer down through TCP flow control
 * and nothing queues in the proxy. Called by one container thread at a time (message handlers of
 * a session are not invoked concurrently), so the per-message count needs no synchronisation.
 */
final class Relay
{
    private final Bridge bridge;
    private final boolean toUpstream;
    private final WebSocketMetrics.Direction counters;
    private long messageBytes;
    private volatile long bytes;
    private volatile long messages;

    Relay(Bridge bridge, boolean toUpstream, WebSocketMetrics.Direction counters)
    {
        this.bridge = bridge;
        this.toUpstream = toUpstream;
        this.counters = counters;
    }

    void text(String part, boolean last)
    {
        relay(Utf8.length(part), last, peer -> peer.getBasicRemote().sendText(part, last));
    }

    void binary(ByteBuffer part, boolean last)
    {
        relay(part.remaining(), last, peer -> peer.getBasicRemote().sendBinary(part, last));
    }

    private void relay(long n, boolean last, Send send)
    {
        if (!admit(n))
            return;
        Session peer = bridge.peer(toUpstream);
        if (peer == null)
            return;
        try
        {
            send.to(peer);
        }
        catch (IOException | RuntimeException x)
        {
            bridge.relayFailed(toUpstream, x);
            return;
        }
        relayed(n, last);
    }

    /** One fragment's blocking write to the other leg. */
    @FunctionalInterface
    private interface Send
    {
        void to(Session peer) throws IOException;
    }

    private boolean admit(long n)
    {
        messageBytes += n;
        if (messageBytes <= bridge.settings().maxMessageSize())
            return true;
        bridge.tooBig();
        return false;
    }

    private void relayed(long n, boolean last)
    {
        bytes += n;
        counters.bytes().inc(n);
        if (last)
        {
            messages++;
            counters.messages().inc();
            messageBytes = 0;
        }
    }

    long bytes()
    {
        return bytes;
    }

    long messages()
    {
        return messages;
    }
}
