package dev.gatehouse.websocket;

import java.nio.ByteBuffer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a proxied session: the client's (a server endpoint) or the upstream's (a client
 * endpoint). Messages arriving on it are relayed to the other side as they arrive, fragment by
 * fragment; its close is passed on by the {@link Bridge}.
 */
public final class Leg extends Endpoint
{
    private static final Logger LOG = LoggerFactory.getLogger(Leg.class);
    /** Tomcat: how long a blocking send may wait for a slow peer (its default, 20 s, would cut slow readers off early). */
    static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final Bridge bridge;
    private final boolean upstream;

    Leg(Bridge bridge, boolean upstream)
    {
        this.bridge = bridge;
        this.upstream = upstream;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config)
    {
        long idle = bridge.settings().idleTimeout().toMillis();
        session.setMaxIdleTimeout(idle);
        session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, idle);
        Relay relay = upstream ? bridge.toClient() : bridge.toUpstream();
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>)relay::text);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>)relay::binary);
        bridge.opened(upstream, session);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason)
    {
        bridge.closed(upstream, closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
    }

    @Override
    public void onError(Session session, Throwable failure)
    {
        // the container closes the session after this; the close is what is passed on
        LOG.debug("[{}] websocket {} leg failed", bridge.requestId(), upstream ? "upstream" : "client", failure);
    }
}
