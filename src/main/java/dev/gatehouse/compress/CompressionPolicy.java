package dev.gatehouse.compress;

import java.util.Locale;
import java.util.function.Function;

import dev.gatehouse.config.ProtocolConfig;

/**
 * Decides, from the request and the upstream's response headers alone, whether a response is
 * compressed and with what. Responses that could be compressed for some client get
 * {@code Vary: Accept-Encoding} even when this client gets identity, so that caches keep the
 * variants apart.
 */
public final class CompressionPolicy
{
    /** The outcome: leave the response alone, only add Vary, or compress with a coding. */
    public record Decision(boolean vary, Coding coding)
    {
        public static final Decision NONE = new Decision(false, Coding.IDENTITY);

        public boolean compress()
        {
            return coding != Coding.IDENTITY;
        }
    }

    private final ProtocolConfig.Compression config;
    private final MediaTypes types;

    public CompressionPolicy(ProtocolConfig.Compression config)
    {
        this.config = config;
        this.types = new MediaTypes(config.types());
    }

    /**
     * @param method          the client's request method
     * @param acceptEncoding  the client's {@code Accept-Encoding}, or null
     * @param status          the upstream's status
     * @param responseHeader  the upstream's response headers by name (null when absent)
     * @param brotliAvailable whether the brotli encoder loaded
     */
    public Decision decide(String method, String acceptEncoding, int status, Function<String, String> responseHeader, boolean brotliAvailable)
    {
        if (!config.enabled() || status < 200 || status == 204 || status == 206)
            return Decision.NONE;
        // A 304 stands for a body the client may hold compressed (with the coding's ETag): it
        // varies the same way, and its ETag gets the same suffix (CodingETags).
        if (status == 304)
            return AcceptEncoding.negotiate(acceptEncoding, brotliAvailable) == Coding.IDENTITY ? Decision.NONE : new Decision(true, Coding.IDENTITY);
        if (responseHeader.apply("Content-Range") != null)
            return Decision.NONE;
        String encoding = responseHeader.apply("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity"))
            return Decision.NONE;
        String cacheControl = responseHeader.apply("Cache-Control");
        if (cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-transform"))
            return Decision.NONE;
        if (!types.matches(responseHeader.apply("Content-Type")))
            return Decision.NONE;
        // Unknown length (chunked, SSE): the type alone decides.
        long length = contentLength(responseHeader.apply("Content-Length"));
        if (length >= 0 && length < config.minSize())
            return Decision.NONE;
        // HEAD: the headers a GET would get, minus the encoding (there is no body to encode)
        if ("HEAD".equals(method))
            return new Decision(true, Coding.IDENTITY);
        return new Decision(true, AcceptEncoding.negotiate(acceptEncoding, brotliAvailable));
    }

    private static long contentLength(String value)
    {
        if (value == null)
            return -1;
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (NumberFormatException x)
        {
            return -1;
        }
    }
}
