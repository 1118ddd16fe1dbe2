package dev.gatehouse.cli;

import dev.gatehouse.http.ErrorCode;

/** A CLI request refused before any process starts; carries the JSON error to answer with. */
final class CliRejection extends Exception
{
    private final ErrorCode code;
    private final String reason;

    CliRejection(ErrorCode code, String reason, String message)
    {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    ErrorCode code()
    {
        return code;
    }

    /** The rejection reason for metrics and the security log, such as {@code cli-command}. */
    String reason()
    {
        return reason;
    }
}
