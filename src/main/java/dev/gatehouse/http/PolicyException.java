package dev.gatehouse.http;

import java.io.IOException;

/**
 * A policy refused the exchange after it had started (the SSRF check after DNS resolution, a
 * blocked response content type, a body over the size limit). Carries the error the client gets.
 */
public class PolicyException extends IOException
{
    private final ErrorCode code;

    public PolicyException(ErrorCode code, String message)
    {
        super(message, null);
        this.code = code;
    }

    public ErrorCode code()
    {
        return code;
    }

    @Override
    public synchronized Throwable fillInStackTrace()
    {
        // expected refusals: the stack trace is never looked at
        return this;
    }
}
