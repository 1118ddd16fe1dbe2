package dev.gatehouse.websocket;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.http.ErrorCode;

/**
 * Why the upstream handshake failed, as the client will be told: the upstream refusing
 * (401/403) becomes 403, an upstream that is overloaded or down for maintenance (429/503) 503,
 * any other answer than 101 or a connection failure 502, a timeout 504. Works with the failures
 * of Jetty's and Tomcat's WebSocket clients (the status is read from the exception).
 *
 * @param code     the error code (and so the status) for the client
 * @param status   the upstream's HTTP status, or 0 when it never answered
 * @param message  the client-facing message
 */
public record HandshakeFailure(ErrorCode code, int status, String message)
{
    /** Tomcat: "The HTTP response from the server [403] did not permit the HTTP upgrade to WebSocket". */
    private static final Pattern BRACKETED_STATUS = Pattern.compile("\\[(\\d{3})\\]");
    /** Jetty: "Failed to upgrade to websocket: Unexpected HTTP Response Status Code: 403 Forbidden". */
    private static final Pattern STATUS_CODE = Pattern.compile("Status Code: (\\d{3})");

    static HandshakeFailure of(Throwable failure)
    {
        int status = status(failure);
        if (status == 401 || status == 403)
            return new HandshakeFailure(ErrorCode.FORBIDDEN, status, "The upstream refused the WebSocket handshake (" + status + ")");
        if (status == 429 || status == 503)
            return new HandshakeFailure(ErrorCode.SERVICE_UNAVAILABLE, status,
                "The upstream is unavailable for WebSocket sessions (" + status + ")");
        if (status > 0)
            return new HandshakeFailure(ErrorCode.UPSTREAM_UNAVAILABLE, status,
                "The upstream answered " + status + " instead of accepting the WebSocket handshake");
        if (has(failure, TimeoutException.class) || has(failure, SocketTimeoutException.class))
            return new HandshakeFailure(ErrorCode.UPSTREAM_TIMEOUT, 0, "The upstream did not complete the WebSocket handshake in time");
        if (has(failure, ConnectException.class) || has(failure, UnknownHostException.class)
            || has(failure, UnresolvedAddressException.class))
            return new HandshakeFailure(ErrorCode.UPSTREAM_UNAVAILABLE, 0, "Cannot connect to the upstream");
        return new HandshakeFailure(ErrorCode.UPSTREAM_UNAVAILABLE, 0, "The WebSocket handshake with the upstream failed");
    }

    /** The upstream's status in the failure chain, or 0. */
    static int status(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            int s = statusMethod(t);
            if (s > 0)
                return s;
            String message = t.getMessage();
            if (message != null)
            {
                Matcher m = STATUS_CODE.matcher(message);
                if (m.find())
                    return Integer.parseInt(m.group(1));
                m = BRACKETED_STATUS.matcher(message);
                if (m.find() && message.contains("HTTP"))
                    return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    /** Jetty's UpgradeException#getResponseStatusCode, read without a compile-time dependency (absent in a WAR). */
    private static int statusMethod(Throwable t)
    {
        try
        {
            Method m = t.getClass().getMethod("getResponseStatusCode");
            Object v = m.invoke(t);
            return v instanceof Integer i && i >= 100 && i <= 599 ? i : 0;
        }
        catch (ReflectiveOperationException | RuntimeException x)
        {
            return 0;
        }
    }

    private static boolean has(Throwable failure, Class<? extends Throwable> type)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (type.isInstance(t))
                return true;
        }
        return false;
    }
}
