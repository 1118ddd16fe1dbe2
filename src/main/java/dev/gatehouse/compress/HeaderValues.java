package dev.gatehouse.compress;

import java.util.Locale;

/** The Vary edit compression needs. */
public final class HeaderValues
{
    private HeaderValues()
    {
    }

    /** {@code existing} (may be null or a comma list) with Accept-Encoding added once; {@code *} stays {@code *}. */
    public static String varyWithAcceptEncoding(String existing)
    {
        if (existing == null || existing.isBlank())
            return "Accept-Encoding";
        for (String part : existing.split(","))
        {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.equals("*") || name.equals("accept-encoding"))
                return existing;
        }
        return existing + ", Accept-Encoding";
    }
}
