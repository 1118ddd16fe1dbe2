package dev.gatehouse.filter;

import java.io.IOException;

import dev.gatehouse.http.ErrorCode;
import dev.gatehouse.http.OwnHeaders;
import dev.gatehouse.policy.ClientAddress;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.RateLimitKey;
import dev.gatehouse.policy.RateLimiter;
import dev.gatehouse.routing.Dispatch;
import dev.gatehouse.web.Snapshot;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Token bucket per client address, or per API key ({@code ratelimit.key}: a header or query
 * parameter, falling back to the client address when absent), with per-key tiers from
 * {@code ratelimit.keys-file} ({@code ratelimit.*}, per route {@code routes.<name>.ratelimit.*}).
 * Keys are logged only as a short SHA-256 fingerprint.
 * Every response of a limited route carries the IETF {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers; an exceeded limit gets 429
 * RATE_LIMITED with {@code Retry-After} in whole seconds, rounded up.
 */
public class RateLimitFilter extends PolicyFilter
{
    private transient RateLimiter rateLimiter;

    @Override
    public void init() throws ServletException
    {
        super.init();
        rateLimiter = RateLimiter.from(getServletContext());
    }

    @Override
    protected boolean decide(HttpServletRequest request, HttpServletResponse response, Snapshot snapshot, Dispatch dispatch)
        throws IOException
    {
        Policy policy = snapshot.policy();
        String route = dispatch.kind() == Dispatch.Kind.ROUTE ? dispatch.route().name() : null;
        RateLimitKey keySpec = policy.rateLimitKey(route);
        String keyValue = keySpec.valueOf(request);
        RateLimiter.Limit limit = keyValue != null ? policy.rateLimitKeys().limit(keyValue) : null;
        if (limit == null)
            limit = policy.limit(route);
        if (limit == null)
            return true;
        // a route with its own limit has its own buckets; routes sharing the global limit share one
        boolean own = policy.hasOwnLimit(route);
        String subject = keyValue == null ? ClientAddress.of(request, policy)
            : keySpec.kind() + ':' + (keyValue.length() <= 128 ? keyValue : RateLimitKey.fingerprint(keyValue));
        String key = own ? route + '|' + subject : subject;
        String logged = keyValue == null ? key : keySpec.kind() + ':' + RateLimitKey.fingerprint(keyValue);
        RateLimiter.Decision d = rateLimiter.tryAcquire(key, limit);
        OwnHeaders.set(request, response, "RateLimit-Limit", Long.toString(d.limit()));
        OwnHeaders.set(request, response, "RateLimit-Remaining", Long.toString(d.remaining()));
        OwnHeaders.set(request, response, "RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (d.allowed())
            return true;
        OwnHeaders.set(request, response, "Retry-After", Long.toString(d.retryAfterSeconds()));
        return reject(request, response, snapshot, ErrorCode.RATE_LIMITED,
            "Too many requests; retry after " + d.retryAfterSeconds() + "s", "rate-limit", logged);
    }
}
