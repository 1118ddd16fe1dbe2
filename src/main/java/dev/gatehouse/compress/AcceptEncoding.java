package dev.gatehouse.compress;

import java.util.Locale;

/**
 * Picks a coding from a request's {@code Accept-Encoding} (RFC 9110 §12.5.3): the acceptable
 * coding with the highest q-value, brotli before gzip when both are equally acceptable. A coding
 * is acceptable when listed with q &gt; 0, or not listed while {@code *} has q &gt; 0.
 * No header (or nothing acceptable) means identity.
 */
public final class AcceptEncoding
{
    private AcceptEncoding()
    {
    }

    public static Coding negotiate(String acceptEncoding, boolean brotliAvailable)
    {
        if (acceptEncoding == null || acceptEncoding.isBlank())
            return Coding.IDENTITY;
        double br = -1;
        double gzip = -1;
        double any = -1;
        for (String element : acceptEncoding.split(","))
        {
            String part = element.trim();
            if (part.isEmpty())
                continue;
            int semi = part.indexOf(';');
            String coding = (semi < 0 ? part : part.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            double q = semi < 0 ? 1.0 : quality(part.substring(semi + 1));
            switch (coding)
            {
                case "br" -> br = Math.max(br, q);
                case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                case "*" -> any = Math.max(any, q);
                default ->
                {
                    // identity and codings Gatehouse does not produce
                }
            }
        }
        if (br < 0)
            br = any;
        if (gzip < 0)
            gzip = any;
        if (!brotliAvailable)
            br = 0;
        if (br <= 0 && gzip <= 0)
            return Coding.IDENTITY;
        return br >= gzip ? Coding.BROTLI : Coding.GZIP;
    }

    /** The q of {@code q=0.8} among the parameters; 1 if absent; 0 (not acceptable) if malformed. */
    static double quality(String parameters)
    {
        for (String param : parameters.split(";"))
        {
            String p = param.trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=')
            {
                String value = p.substring(2).trim();
                if (!value.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?"))
                    return 0;
                return Double.parseDouble(value);
            }
        }
        return 1.0;
    }
}
