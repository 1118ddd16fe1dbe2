package dev.gatehouse.cache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gatehouse.compress.Coding;
import dev.gatehouse.policy.Policy;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * One stored response (a variant): status, header fields as stored, body, and what freshness and
 * age are computed from. Immutable; a 304 from the origin makes a freshened copy.
 */
public final class StoredResponse
{
    /** Never stored or updated from a response: hop-by-hop and framing, and what the proxy sets itself. */
    static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-connection", "te", "transfer-encoding",
        "upgrade", "trailer", "proxy-authenticate", "proxy-authorization", "content-length", "x-request-id", "x-proxy-id",
        "x-cache-status");

    final String key;
    final int status;
    final HttpFields headers;
    final byte[] body;
    final long requestTime;
    final long responseTime;
    final CacheControl cc;
    final Map<String, String> vary;
    final long lifetime;
    final long correctedInitialAge;
    final long size;
    /** The body's length as a Content-Length value (the field itself is not stored). */
    private final String contentLength;
    /** The fields a hit sends under the last policy asked for (see {@link #hitFields}). */
    private volatile HitFields hitFields;
    /** The body encoded for clients that accept gzip / brotli, made on first use (see {@link #encoded}). */
    private volatile byte[] gzip;
    private volatile byte[] brotli;

    StoredResponse(String key, int status, HttpFields headers, byte[] body, long requestTime, long responseTime, Map<String, String> vary)
    {
        this.key = key;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.requestTime = requestTime;
        this.responseTime = responseTime;
        this.vary = vary;
        this.cc = CacheControl.parse(headers.getValuesList("Cache-Control"));
        this.lifetime = Freshness.lifetime(status, headers, cc, responseTime);
        this.correctedInitialAge = Freshness.correctedInitialAge(headers, requestTime, responseTime);
        long headerBytes = 0;
        for (HttpField f : headers)
            headerBytes += f.getName().length() + (f.getValue() == null ? 0 : f.getValue().length()) + 4;
        this.size = body.length + headerBytes + key.length() + 64;
        this.contentLength = Integer.toString(body.length);
    }

    /**
     * A field of the response this entry answers with, by name: the stored field, except
     * Content-Length, which is the stored body's (framing is not stored). Decisions made from a
     * hit's fields (response compression's minimum size) see what a miss saw.
     */
    String field(String name)
    {
        return "Content-Length".equalsIgnoreCase(name) ? contentLength : headers.get(name);
    }

    /**
     * The stored fields a hit sends under a header policy, in order: without Age (sent fresh),
     * the policy's removed headers, the names a qualified {@code no-cache} lists (unless the
     * response was just validated) and, on a 304, the content fields; without the security
     * headers when the policy's values override the upstream's. Worked out once per entry and
     * policy for the common case (a full response, not just validated); the others are rare.
     */
    HitFields hitFields(Policy policy, boolean validated, boolean notModified)
    {
        boolean common = !validated && !notModified;
        HitFields h = hitFields;
        if (common && h != null && h.policy == policy)
            return h;
        h = HitFields.of(this, policy, validated ? List.of() : cc.fieldNames("no-cache"), notModified);
        if (common)
            hitFields = h;
        return h;
    }

    /**
     * Stored fields to send, as parallel arrays; {@code first[i]} marks the first field of its
     * name (the one that replaces a field of that name the proxy set, such as a security header
     * the upstream sent its own value of).
     */
    record HitFields(Policy policy, String[] names, String[] values, boolean[] first)
    {
        static HitFields of(StoredResponse stored, Policy policy, List<String> noCacheFields, boolean notModified)
        {
            Set<String> removed = policy.removedResponseHeaders();
            boolean override = policy.config().headersOverride();
            List<String> names = new ArrayList<>(stored.headers.size());
            List<String> values = new ArrayList<>(stored.headers.size());
            Set<String> seen = new HashSet<>();
            boolean[] first = new boolean[stored.headers.size()];
            for (HttpField f : stored.headers)
            {
                String name = f.getName();
                String lower = f.getLowerCaseName();
                if (lower.equals("age") || noCacheFields.contains(lower) || removed.contains(name))
                    continue;
                if (notModified && (lower.startsWith("content-") && !lower.equals("content-location")))
                    continue;
                if (Policy.isSecurityHeader(name) && override)
                    continue;
                first[names.size()] = seen.add(lower);
                names.add(name);
                values.add(f.getValue());
            }
            return new HitFields(policy, names.toArray(String[]::new), values.toArray(String[]::new), Arrays.copyOf(first, names.size()));
        }
    }

    /** Encodes a body; the proxy's response compression supplies it. */
    @FunctionalInterface
    interface BodyEncoder
    {
        byte[] encode(byte[] body) throws IOException;
    }

    /**
     * The body in a content coding, encoded once per entry and kept with it: hits for clients
     * that accept compression cost a copy, not a compression. (The copy is not weighed against
     * cache.max-memory; it is smaller than the body it encodes.)
     */
    byte[] encoded(Coding coding, BodyEncoder encoder) throws IOException
    {
        byte[] b = coding == Coding.BROTLI ? brotli : gzip;
        if (b != null)
            return b;
        b = encoder.encode(body);
        if (coding == Coding.BROTLI)
            brotli = b;
        else
            gzip = b;
        return b;
    }

    /**
     * Builds the stored form of a response: fields not stored are dropped, as are the names a
     * qualified {@code private} lists (a shared cache must not store them) and any extra names the
     * caller gives (the upstream's Connection-listed fields); a missing Date is added.
     */
    public static StoredResponse of(String key, int status, HttpFields upstream, Set<String> alsoDrop, byte[] body,
                                    long requestTime, long responseTime, Map<String, String> vary)
    {
        CacheControl cc = CacheControl.parse(upstream.getValuesList("Cache-Control"));
        List<String> privateFields = cc.fieldNames("private");
        HttpFields.Mutable h = HttpFields.build(upstream.size() + 1);
        for (HttpField f : upstream)
        {
            String name = f.getLowerCaseName();
            if (NOT_STORED.contains(name) || privateFields.contains(name) || (alsoDrop != null && alsoDrop.contains(name)))
                continue;
            h.add(f);
        }
        if (!h.contains("Date"))
            h.add("Date", DateGenerator.formatDate(responseTime));
        return new StoredResponse(key, status, h.asImmutable(), body, requestTime, responseTime, vary);
    }

    /**
     * RFC 9111 §4.3.4: the stored header fields updated from a 304 (every field of the 304 replaces
     * the stored ones of that name, except those never stored, Content-Length among them), with the
     * new request and response times.
     */
    public StoredResponse freshen(HttpFields notModified, long newRequestTime, long newResponseTime)
    {
        HttpFields.Mutable h = HttpFields.build(headers.size() + 2);
        Set<String> replaced = new HashSet<>();
        for (HttpField f : notModified)
        {
            String name = f.getLowerCaseName();
            if (!NOT_STORED.contains(name))
                replaced.add(name);
        }
        for (HttpField f : headers)
        {
            if (!replaced.contains(f.getLowerCaseName()))
                h.add(f);
        }
        for (HttpField f : notModified)
        {
            if (replaced.contains(f.getLowerCaseName()))
                h.add(f);
        }
        if (!notModified.contains("Age"))
            h.remove("Age");
        if (!notModified.contains("Date"))
            h.put("Date", DateGenerator.formatDate(newResponseTime));
        return new StoredResponse(key, status, h.asImmutable(), body, newRequestTime, newResponseTime, vary);
    }

    public long currentAge(long now)
    {
        return Freshness.currentAge(correctedInitialAge, responseTime, now);
    }

    public boolean isFresh(long now)
    {
        return lifetime > currentAge(now);
    }

    /** Milliseconds since the response became stale (negative while fresh). */
    public long staleness(long now)
    {
        return currentAge(now) - lifetime;
    }

    public boolean hasValidator()
    {
        return headers.contains("ETag") || headers.contains("Last-Modified");
    }

    public int status()
    {
        return status;
    }

    public HttpFields headers()
    {
        return headers;
    }

    public byte[] body()
    {
        return body;
    }

    public long lifetime()
    {
        return lifetime;
    }

    public CacheControl cacheControl()
    {
        return cc;
    }

    /** The {@code Age} value to send now, in whole seconds. */
    public long ageSeconds(long now)
    {
        return currentAge(now) / 1000;
    }

    /** Until when (epoch ms) keeping it is useful: fresh, then within stale-while-revalidate / stale-if-error, and with a validator a while longer. */
    long retainUntil(long validatorRetention)
    {
        long freshUntil = responseTime + Math.max(0, lifetime - correctedInitialAge);
        long extra = 0;
        long swr = cc.seconds("stale-while-revalidate");
        long sie = cc.seconds("stale-if-error");
        extra = Math.max(extra, Math.max(swr, 0) * 1000);
        extra = Math.max(extra, Math.max(sie, 0) * 1000);
        if (hasValidator())
            extra = Math.max(extra, validatorRetention);
        return freshUntil + extra;
    }

    @Override
    public String toString()
    {
        return key + " " + status + " " + vary.toString().toLowerCase(Locale.ROOT);
    }
}
