package dev.gatehouse.http;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/** Maps an upstream failure to the error the client sees. The one place this decision is made. */
public final class Failures
{
    private Failures()
    {
    }

    public static ErrorCode classify(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof PolicyException refused)
                return refused.code();
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException)
                return ErrorCode.UPSTREAM_TIMEOUT;
            if (t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof UnresolvedAddressException || t instanceof NoRouteToHostException)
                return ErrorCode.UPSTREAM_UNAVAILABLE;
            if (t.getCause() == t)
                break;
        }
        return ErrorCode.UPSTREAM_UNAVAILABLE;
    }

    /**
     * True for failures that happened before the upstream could have acted on the request:
     * refused or unresolvable connections, and connections closed or reset before any response.
     * Such a request may be retried on another target.
     */
    public static boolean isRetryable(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            if (t instanceof PolicyException || t instanceof TimeoutException || t instanceof SocketTimeoutException)
                return false;
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof java.nio.channels.ClosedChannelException || t instanceof java.io.EOFException
                || t instanceof org.eclipse.jetty.io.EofException)
                return true;
            if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("reset"))
                return true;
            if (t.getCause() == t)
                break;
        }
        return false;
    }

    /** The refusal a policy made after the exchange started, or null. */
    public static PolicyException policy(Throwable failure)
    {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause())
        {
            if (t instanceof PolicyException refused)
                return refused;
        }
        return null;
    }

    /** A message for the client that says what failed without echoing raw input. */
    public static String message(ErrorCode code, String what)
    {
        return switch (code)
        {
            case UPSTREAM_TIMEOUT -> "Upstream " + what + " did not respond in time";
            case UPSTREAM_UNAVAILABLE -> "Upstream " + what + " is unavailable";
            default -> "Request to " + what + " failed";
        };
    }
}
