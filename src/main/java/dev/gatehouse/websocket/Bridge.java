package dev.gatehouse.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.gatehouse.config.RouteWebSocket;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxied WebSocket session: the upstream leg (opened first), the client leg (opened once the
 * upstream accepted), the two relays between them, and the close that ends both. The first close
 * (from either side, or the proxy's own for a too-large message) wins: it is passed to the other
 * leg, counted and logged once.
 */
final class Bridge
{
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    private static final ByteBuffer PING = ByteBuffer.wrap("gatehouse".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final String route;
    private final RouteWebSocket settings;
    private final WebSocketMetrics metrics;
    private final AccessRecord access;
    private final Relay toUpstream;
    private final Relay toClient;
    private final Leg upstreamLeg = new Leg(this, true);
    private final Leg clientLeg = new Leg(this, false);
    private final CompletableFuture<Session> client = new CompletableFuture<>();
    private final CompletableFuture<Session> upstreamOpened = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean recorded = new AtomicBoolean();
    /** Told once the session is closing, so the owner can forget it. */
    private final Consumer<Bridge> onClosed;
    private final long waitForClientMillis;
    private volatile Session upstream;
    private volatile CloseReason pendingClientClose;
    private volatile boolean clientOpened;
    private volatile ScheduledFuture<?> pinger;
    private long startNanos;
    private int closeCode;
    private String initiator;

    Bridge(String route, RouteWebSocket settings, WebSocketMetrics metrics, AccessRecord access, long waitForClientMillis,
           Consumer<Bridge> onClosed)
    {
        this.onClosed = onClosed;
        this.route = route;
        this.settings = settings;
        this.metrics = metrics;
        this.access = access;
        this.waitForClientMillis = waitForClientMillis;
        this.toUpstream = new Relay(this, true, metrics.direction(route, WebSocketMetrics.CLIENT_TO_UPSTREAM));
        this.toClient = new Relay(this, false, metrics.direction(route, WebSocketMetrics.UPSTREAM_TO_CLIENT));
    }

    RouteWebSocket settings()
    {
        return settings;
    }

    String requestId()
    {
        return access.requestId();
    }

    Leg upstreamLeg()
    {
        return upstreamLeg;
    }

    Leg clientLeg()
    {
        return clientLeg;
    }

    Relay toUpstream()
    {
        return toUpstream;
    }

    Relay toClient()
    {
        return toClient;
    }

    void opened(boolean upstreamSide, Session session)
    {
        if (upstreamSide)
        {
            upstream = session;
            toUpstream.open(session);
            upstreamOpened.complete(session);
            if (closing.get())
                close(session, CloseCodes.reason(CloseCodes.GOING_AWAY, "Handshake abandoned")); // it came too late
            return;
        }
        // what the upstream said before the client's handshake was done goes first
        toClient.open(session);
        synchronized (this)
        {
            startNanos = System.nanoTime();
            clientOpened = true;
        }
        metrics.opened(route);
        client.complete(session);
        CloseReason pending = pendingClientClose;
        if (pending != null)
        {
            // the upstream left while the client's handshake was finishing
            close(session, pending);
            record();
        }
    }

    /** Keeps both legs' NAT paths open: a ping each interval, answered by each peer. */
    void startPings(ScheduledExecutorService scheduler)
    {
        long every = settings.pingInterval().toMillis();
        if (every <= 0 || scheduler == null || closing.get())
            return;
        ScheduledFuture<?> p = scheduler.scheduleAtFixedRate(this::ping, every, every, TimeUnit.MILLISECONDS);
        pinger = p;
        if (closing.get())
            p.cancel(false); // closed while it was being scheduled
    }

    private void ping()
    {
        ping(upstream);
        ping(client.getNow(null));
    }

    private void ping(Session session)
    {
        if (session == null || !session.isOpen())
            return;
        try
        {
            session.getAsyncRemote().sendPing(PING.duplicate());
        }
        catch (IOException | RuntimeException x)
        {
            LOG.debug("[{}] websocket ping failed", requestId(), x);
        }
    }

    /** How long a sender whose held fragments reached the limit waits for the other leg to open. */
    long waitForPeerNanos()
    {
        return TimeUnit.MILLISECONDS.toNanos(waitForClientMillis);
    }

    /** Completed when the upstream leg is open (before any of its messages is delivered), or failed with why not. */
    CompletableFuture<Session> upstreamOpened()
    {
        return upstreamOpened;
    }

    /** The client's handshake did not complete: the upstream leg is closed and nothing is counted. */
    void abandon(CloseReason reason)
    {
        closing.set(true);
        toClient.drop();
        client.completeExceptionally(new IOException("client handshake failed"));
        close(upstream, reason);
    }

    /** A leg closed (its peer sent a close, it timed out, or its connection dropped). */
    void closed(boolean upstreamSide, int code, String reason)
    {
        if (!closing.compareAndSet(false, true))
            return;
        CloseReason forPeer = CloseCodes.forPeer(code, reason, upstreamSide);
        if (upstreamSide)
        {
            pendingClientClose = forPeer;
            Session c = client.getNow(null);
            if (c != null)
                close(c, forPeer);
        }
        else
        {
            close(upstream, forPeer);
        }
        finish(code, upstreamSide ? "upstream" : "client");
    }

    /** A message exceeded {@code max-message-size}: both legs are closed with 1009. */
    void tooBig()
    {
        closeBoth(CloseCodes.TOO_BIG, "Message too big");
    }

    /** Writing to a leg failed: that leg is gone, as if it had dropped. */
    void relayFailed(boolean toUpstreamSide, Throwable failure)
    {
        LOG.debug("[{}] websocket relay to the {} failed", requestId(), toUpstreamSide ? "upstream" : "client", failure);
        closed(toUpstreamSide, CloseCodes.ABNORMAL, null);
    }

    /** Proxy shutdown: both legs are told the proxy is going away. */
    void shutdown()
    {
        closeBoth(CloseCodes.GOING_AWAY, "Proxy shutting down");
    }

    private void closeBoth(int code, String reason)
    {
        if (!closing.compareAndSet(false, true))
            return;
        CloseReason r = CloseCodes.reason(code, reason);
        toClient.drop();
        close(upstream, r);
        pendingClientClose = r;
        Session c = client.getNow(null);
        if (c != null)
            close(c, r);
        finish(code, "proxy");
    }

    private void finish(int code, String who)
    {
        onClosed.accept(this);
        ScheduledFuture<?> p = pinger;
        if (p != null)
            p.cancel(false);
        synchronized (this)
        {
            closeCode = code;
            initiator = who;
        }
        record();
    }

    /** Counts and logs the session once, when it has both opened (client leg) and closed. */
    private void record()
    {
        long durationNanos;
        int code;
        String who;
        synchronized (this)
        {
            if (closeCode == 0 || !clientOpened || !recorded.compareAndSet(false, true))
                return;
            durationNanos = System.nanoTime() - startNanos;
            code = closeCode;
            who = initiator;
        }
        metrics.closed(route, code, who);
        access.log(durationNanos / 1_000_000, code, who, toClient.bytes(), toUpstream.bytes(), toClient.messages(),
            toUpstream.messages());
    }

    private void close(Session session, CloseReason reason)
    {
        if (session == null || !session.isOpen())
            return;
        try
        {
            session.close(reason);
        }
        catch (IOException | RuntimeException x)
        {
            LOG.debug("[{}] closing a websocket leg failed", requestId(), x);
        }
    }

    @Override
    public synchronized String toString()
    {
        return "Bridge[" + route + " " + requestId() + (closeCode > 0 ? " closed " + closeCode + " by " + initiator : "") + "]";
    }
}
