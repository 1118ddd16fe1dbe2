package dev.gatehouse.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.servlet.ServletRequest;

/** Request ids: reuse a well-formed incoming {@code X-Request-ID}, otherwise make one. */
public final class RequestIds
{
    public static final String HEADER = "X-Request-ID";
    public static final String PROXY_ID_HEADER = "X-Proxy-ID";
    /** Request attribute holding the id chosen for this request. */
    public static final String ATTRIBUTE = "dev.gatehouse.requestId";
    public static final int MAX_LENGTH = 128;

    private static final byte[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".getBytes(StandardCharsets.ISO_8859_1);

    private RequestIds()
    {
    }

    /** True for 1 to 128 characters of {@code [A-Za-z0-9._-]}. */
    public static boolean isWellFormed(String id)
    {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH)
            return false;
        for (int i = 0; i < id.length(); i++)
        {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
            if (!ok)
                return false;
        }
        return true;
    }

    /** A new random id: 20 characters of base-32 ({@code [0-9a-v]}), 100 random bits. */
    public static String generate()
    {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long a = random.nextLong();
        long b = random.nextLong();
        byte[] id = new byte[20];
        for (int i = 0; i < 10; i++)
        {
            id[i] = ALPHABET[(int)(a & 31)];
            id[i + 10] = ALPHABET[(int)(b & 31)];
            a >>>= 5;
            b >>>= 5;
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** The incoming id if well formed, otherwise a new one. */
    public static String choose(String incoming)
    {
        return isWellFormed(incoming) ? incoming : generate();
    }

    /** The id the request id filter chose for this request, or null outside the filter chain. */
    public static String of(ServletRequest request)
    {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? null : id.toString();
    }
}
