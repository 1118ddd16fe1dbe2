package dev.gatehouse.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.io.EofException;

/** Maps an upstream failure to the error the client sees. The one place this decision is made. */
public final class Failures
{
    private Failures()
    {
    }

    /** Request attribute: the kind of upstream failure of the exchange ({@link #kind}), for the access log. */
    public static final String UPSTREAM_ERROR_ATTRIBUTE = "dev.gatehouse.upstreamError";

    /** Whose failure a failed exchange is. Only {@link #UPSTREAM} failures count against an upstream. */
    public enum Blame
    {
        /** The client aborted, stopped sending or was too slow. */
        CLIENT,
        /** A policy or limit refused the exchange (body too large, SSRF after DNS, blocked content type). */
        POLICY,
        /** The upstream refused, reset, timed out, answered something invalid or cut its body off. */
        UPSTREAM
    }

    /**
     * Classifies a failed exchange, once, for every consumer (breaker, retry, metrics, access log).
     *
     * @param failure         what ended the exchange
     * @param clientFailure   the failure reading the client's request or writing its response, if any
     * @param requestComplete whether the whole request body had arrived: until it has, a timeout is the
     *                        client's (the upstream was waiting for the body the client did not send)
     */
    public static Blame blame(Throwable failure, Object clientFailure, boolean requestComplete)
    {
        if (policy(failure) != null || (clientFailure instanceof Throwable t && policy(t) != null))
            return Blame.POLICY;
        if (clientFailure != null)
            return Blame.CLIENT;
        if (!requestComplete && classify(failure) == ErrorCode.UPSTREAM_TIMEOUT)
            return Blame.CLIENT;
        return Blame.UPSTREAM;
    }

    /**
     * A short, fixed-vocabulary name of an upstream failure for logs and metric labels:
     * {@code connect}, {@code dns}, {@code timeout}, {@code tls}, {@code reset}, {@code closed},
     * {@code invalid} or {@code other}.
     */
    public static String kind(Throwable failure)
    {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause())
        {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException)
                return "timeout";
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException)
                return "dns";
            if (t instanceof ConnectException || t instanceof NoRouteToHostException)
                return "connect";
            if (t instanceof SSLException)
                return "tls";
            if (t instanceof HttpResponseException || t instanceof BadMessageException)
                return "invalid";
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("reset"))
                return "reset";
            if (t instanceof EOFException || t instanceof ClosedChannelException)
                return "closed";
        }
        return "other";
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
                || t instanceof ClosedChannelException || t instanceof EOFException
                || t instanceof EofException)
                return true;
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("reset"))
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
