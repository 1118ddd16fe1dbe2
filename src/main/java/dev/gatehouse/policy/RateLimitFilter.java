package dev.gatehouse.policy;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.proxy.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Token bucket per client address ({@code ratelimit.*}, per route {@code routes.<name>.ratelimit.*}).
 * Every response of a limited route carries the IETF {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers; an exceeded limit gets 429
 * RATE_LIMITED with {@code Retry-After} in whole seconds, rounded up.
 */
public class RateLimitFilter extends PolicyFilter
{
    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException
    {
        Policy policy = snapshot.policy();
        String route = dispatch.kind() == Dispatch.Kind.ROUTE ? dispatch.route().name() : null;
        RateLimiter.Limit limit = policy.limit(route);
        if (limit == null)
            return true;
        String client = ClientAddress.of(request, policy);
        // a route with its own limit has its own buckets; routes sharing the global limit share one
        boolean own = route != null && policy.route(route) != null && limit != policy.limit(null);
        String key = own ? route + '|' + client : client;
        RateLimiter.Decision d = context().rateLimiter().tryAcquire(key, limit);
        OwnHeaders.set(request, response, "RateLimit-Limit", Long.toString(d.limit()));
        OwnHeaders.set(request, response, "RateLimit-Remaining", Long.toString(d.remaining()));
        OwnHeaders.set(request, response, "RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (d.allowed())
            return true;
        OwnHeaders.set(request, response, "Retry-After", Long.toString(d.retryAfterSeconds()));
        return reject(request, response, snapshot, ErrorCode.RATE_LIMITED,
            "Too many requests; retry after " + d.retryAfterSeconds() + "s", "rate-limit", key);
    }
}
