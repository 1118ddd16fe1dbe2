package dev.gatehouse.websocket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

import dev.gatehouse.http.ErrorCode;
import jakarta.websocket.DeploymentException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HandshakeFailureTest
{
    /** Shaped like Jetty's UpgradeException: the status is a method of the exception. */
    static final class UpgradeException extends IOException
    {
        private final int status;

        UpgradeException(int status)
        {
            super("Failed to upgrade to websocket");
            this.status = status;
        }

        public int getResponseStatusCode()
        {
            return status;
        }
    }

    @Test
    void upstreamRefusalIsForbidden()
    {
        HandshakeFailure f = HandshakeFailure.of(new DeploymentException("failed", new UpgradeException(403)));
        assertEquals(ErrorCode.FORBIDDEN, f.code());
        assertEquals(403, f.status());
        assertEquals(ErrorCode.FORBIDDEN, HandshakeFailure.of(new UpgradeException(401)).code());
    }

    @Test
    void readsTomcatsMessage()
    {
        HandshakeFailure f = HandshakeFailure.of(new DeploymentException(
            "The HTTP response from the server [403] did not permit the HTTP upgrade to WebSocket"));
        assertEquals(ErrorCode.FORBIDDEN, f.code());
        assertEquals(403, f.status());
    }

    @Test
    void readsJettysMessage()
    {
        HandshakeFailure f = HandshakeFailure.of(new IOException("Unexpected HTTP Response Status Code: 404 Not Found"));
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, f.code());
        assertEquals(404, f.status());
    }

    @Test
    void overloadedUpstreamIsUnavailable()
    {
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, HandshakeFailure.of(new UpgradeException(503)).code());
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, HandshakeFailure.of(new UpgradeException(429)).code());
    }

    @Test
    void connectionFailuresAndTimeouts()
    {
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, HandshakeFailure.of(new IOException(new ConnectException("refused"))).code());
        assertEquals(ErrorCode.UPSTREAM_TIMEOUT, HandshakeFailure.of(new IOException(new SocketTimeoutException())).code());
        assertEquals(ErrorCode.UPSTREAM_TIMEOUT, HandshakeFailure.of(new TimeoutException()).code());
        assertEquals(ErrorCode.UPSTREAM_UNAVAILABLE, HandshakeFailure.of(new IllegalStateException("odd")).code());
        assertEquals(0, HandshakeFailure.of(new IllegalStateException("port [8080] in use")).status(),
            "a bracketed number is a status only in a message about HTTP");
    }
}
