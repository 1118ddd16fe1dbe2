package dev.gatehouse.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether brotli can be used in this process: the brotli4j native library loads once; if it
 * cannot (another platform, a locked-down container), one WARN line says so and every response
 * that would have been brotli is gzip instead.
 */
public final class Brotli
{
    private static final Logger LOG = LoggerFactory.getLogger(Brotli.class);
    private static volatile Boolean available;

    private Brotli()
    {
    }

    public static boolean available()
    {
        Boolean a = available;
        if (a == null)
        {
            synchronized (Brotli.class)
            {
                a = available;
                if (a == null)
                    available = a = load();
            }
        }
        return a;
    }

    private static boolean load()
    {
        try
        {
            Brotli4jLoader.ensureAvailability();
            Encoder.brotli(1).close();
            return true;
        }
        catch (Throwable x)
        {
            unavailable(x);
            return false;
        }
    }

    /** Marks brotli unusable from now on (an encoder failed to start), logging once. */
    static void unavailable(Throwable cause)
    {
        if (!Boolean.FALSE.equals(available))
            LOG.warn("brotli compression is unavailable ({}); clients that accept gzip get gzip instead", cause.toString());
        available = Boolean.FALSE;
    }
}
