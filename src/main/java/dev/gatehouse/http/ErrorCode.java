package dev.gatehouse.http;

/** The error codes of the JSON error body, each with its one HTTP status. */
public enum ErrorCode
{
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    PROXY_AUTH_REQUIRED(407),
    FORBIDDEN(403),
    DOMAIN_BLOCKED(403),
    ACL_DENIED(403),
    DESTINATION_FORBIDDEN(403),
    CONTENT_TYPE_BLOCKED(403),
    NOT_FOUND(404),
    NO_ROUTE(404),
    METHOD_NOT_ALLOWED(405),
    REQUEST_TIMEOUT(408),
    PAYLOAD_TOO_LARGE(413),
    URI_TOO_LONG(414),
    RANGE_NOT_SATISFIABLE(416),
    HEADERS_TOO_LARGE(431),
    CONFIG_INVALID(422),
    RATE_LIMITED(429),
    INTERNAL(500),
    NOT_IMPLEMENTED(501),
    UPSTREAM_UNAVAILABLE(502),
    CIRCUIT_OPEN(503),
    NO_HEALTHY_UPSTREAM(503),
    UPSTREAM_SATURATED(503),
    SERVICE_UNAVAILABLE(503),
    UPSTREAM_TIMEOUT(504),
    NOT_CACHED(504),
    HTTP_VERSION_NOT_SUPPORTED(505),
    LOOP_DETECTED(508),
    // the CLI integration (docs/cli.md)
    CLI_COMMAND_NOT_ALLOWED(403),
    CLI_RUN_NOT_FOUND(404),
    CLI_BUSY(429);

    private final int status;

    ErrorCode(int status)
    {
        this.status = status;
    }

    public int status()
    {
        return status;
    }

    /** The code for a status the proxy did not choose itself (a container or parser error). */
    public static ErrorCode forStatus(int status)
    {
        return switch (status)
        {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 407 -> PROXY_AUTH_REQUIRED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 501 -> NOT_IMPLEMENTED;
            case 502 -> UPSTREAM_UNAVAILABLE;
            case 503 -> SERVICE_UNAVAILABLE;
            case 504 -> UPSTREAM_TIMEOUT;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            case 508 -> LOOP_DETECTED;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }
}
