package dev.gatehouse.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

import jakarta.websocket.Session;

/**
 * One direction of a session. Each fragment is written to the other leg with a blocking send
 * before the next one is read, so a slow reader slows the writer down through TCP flow control
 * and nothing queues in the proxy. Called by one container thread at a time (message handlers of
 * a session are not invoked concurrently), so the per-message count needs no synchronisation.
 * <p>The leg written to may not be open yet: the upstream can speak right after its handshake
 * (server-first protocols), before the client's handshake is done. Those fragments are held, in
 * order, up to {@link #HELD_LIMIT} bytes, and written first when the leg opens. The holding never
 * blocks (the container may be delivering them on the thread that completes the upstream
 * handshake); once the limit is reached the sender waits for the leg to open, which is the
 * backpressure.</p>
 */
final class Relay
{
    /** Bytes held for a leg whose handshake has not finished yet, before the sender has to wait. */
    static final long HELD_LIMIT = 1 << 20;

    private final Bridge bridge;
    private final boolean toUpstream;
    private final WebSocketMetrics.Direction counters;
    private final Object lock = new Object();
    private final ArrayDeque<Fragment> held = new ArrayDeque<>();
    private long heldBytes;
    /** The leg written to, once open (guarded by lock). */
    private Session peer;
    /** The leg will never open, or the session is over (guarded by lock). */
    private boolean gone;
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
        relay(new Fragment(part, Utf8.length(part), last));
    }

    void binary(ByteBuffer part, boolean last)
    {
        relay(new Fragment(part, part.remaining(), last));
    }

    private void relay(Fragment fragment)
    {
        if (!admit(fragment))
            return;
        Session to = peerOrHold(fragment);
        if (to != null && send(to, fragment))
            relayed(fragment);
    }

    /** The open leg to write to; null when the fragment was held (or the leg is gone). */
    private Session peerOrHold(Fragment fragment)
    {
        boolean timedOut = false;
        synchronized (lock)
        {
            long deadline = 0;
            while (peer == null && !gone)
            {
                if (held.isEmpty() || heldBytes + fragment.size() <= HELD_LIMIT)
                {
                    held.add(fragment.copy());
                    heldBytes += fragment.size();
                    return null;
                }
                long now = System.nanoTime();
                if (deadline == 0)
                    deadline = now + bridge.waitForPeerNanos();
                if (now - deadline >= 0)
                {
                    timedOut = true;
                    break;
                }
                waitOn(deadline - now);
            }
            if (!timedOut)
                return peer;
        }
        bridge.relayFailed(toUpstream, new IOException("the other leg did not open in time"));
        return null;
    }

    private void waitOn(long nanos)
    {
        try
        {
            lock.wait(Math.max(1, nanos / 1_000_000));
        }
        catch (InterruptedException x)
        {
            Thread.currentThread().interrupt();
            gone = true;
        }
    }

    /** The leg written to is open: what was held is written first, in order, then fragments go straight through. */
    void open(Session session)
    {
        boolean failed = false;
        synchronized (lock)
        {
            for (Fragment f : held)
            {
                if (gone || !send(session, f))
                {
                    failed = true;
                    break;
                }
                relayed(f);
            }
            held.clear();
            heldBytes = 0;
            peer = failed ? null : session;
            gone |= failed;
            lock.notifyAll();
        }
    }

    /** The leg written to will not open (or is closing): held fragments are dropped, a waiting sender is released. */
    void drop()
    {
        synchronized (lock)
        {
            gone = true;
            held.clear();
            heldBytes = 0;
            lock.notifyAll();
        }
    }

    /** One fragment's blocking write; a failure closes the session as if that leg had dropped. */
    private boolean send(Session to, Fragment f)
    {
        try
        {
            if (f.data() instanceof String text)
                to.getBasicRemote().sendText(text, f.last());
            else
                to.getBasicRemote().sendBinary(((ByteBuffer)f.data()).duplicate(), f.last());
            return true;
        }
        catch (IOException | RuntimeException x)
        {
            bridge.relayFailed(toUpstream, x);
            return false;
        }
    }

    /** Checks {@code max-message-size} as fragments arrive (held ones included). */
    private boolean admit(Fragment f)
    {
        messageBytes += f.size();
        if (messageBytes > bridge.settings().maxMessageSize())
        {
            bridge.tooBig();
            return false;
        }
        if (f.last())
            messageBytes = 0;
        return true;
    }

    private void relayed(Fragment f)
    {
        bytes += f.size();
        counters.bytes().inc(f.size());
        if (f.last())
        {
            messages++;
            counters.messages().inc();
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

    /** A text (String) or binary (ByteBuffer) fragment; {@code size} counts text in UTF-8 bytes. */
    private record Fragment(Object data, long size, boolean last)
    {
        /** Held fragments outlive the container's call: binary data is copied (its buffer is reused). */
        Fragment copy()
        {
            if (!(data instanceof ByteBuffer b))
                return this;
            ByteBuffer c = ByteBuffer.allocate(b.remaining());
            c.put(b.duplicate()).flip();
            return new Fragment(c, size, last);
        }
    }
}
