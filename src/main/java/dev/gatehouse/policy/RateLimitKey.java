package dev.gatehouse.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What a rate-limit bucket is keyed by ({@code ratelimit.key}): {@code client-ip} (default),
 * {@code header:<Name>} (e.g. an API key header) or {@code query:<param>}. A request without the
 * key falls back to its client address.
 *
 * @param kind "ip", "header" or "query"
 * @param name header or parameter name; null for ip
 */
public record RateLimitKey(String kind, String name)
{
    public static final RateLimitKey CLIENT_IP = new RateLimitKey("ip", null);

    public static RateLimitKey parse(String key, String value)
    {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() || v.equals("client-ip"))
            return CLIENT_IP;
        if (v.startsWith("header:") && v.length() > "header:".length())
            return new RateLimitKey("header", v.substring("header:".length()).trim());
        if (v.startsWith("query:") && v.length() > "query:".length())
            return new RateLimitKey("query", v.substring("query:".length()).trim());
        throw ConfigException.invalid(key, "must be client-ip, header:<Name> or query:<param>", value);
    }

    /** The key's value in this request, or null when the request does not carry it. */
    public String valueOf(HttpServletRequest request)
    {
        String value = switch (kind)
        {
            case "header" -> request.getHeader(name);
            case "query" -> QueryParams.first(request.getQueryString(), name);
            default -> null;
        };
        return value == null || value.isEmpty() ? null : value;
    }

    /** How a key value appears in logs: a short SHA-256 prefix, never the value itself. */
    public static String fingerprint(String value)
    {
        try
        {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
        }
        catch (NoSuchAlgorithmException x)
        {
            throw new IllegalStateException(x);
        }
    }
}
