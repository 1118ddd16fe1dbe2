package dev.gatehouse.observe;

/** Values for log lines: control characters escaped so a request cannot forge a line, length bounded. */
public final class LogValues
{
    private LogValues()
    {
    }

    public static String safe(String value, int max)
    {
        if (value == null)
            return "-";
        StringBuilder b = null;
        int n = Math.min(value.length(), max);
        for (int i = 0; i < n; i++)
        {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f)
            {
                if (b == null)
                    b = new StringBuilder(n + 16).append(value, 0, i);
                b.append(String.format("\\x%02x", (int)c));
            }
            else if (b != null)
            {
                b.append(c);
            }
        }
        String out = b != null ? b.toString() : value.substring(0, n);
        return value.length() > max ? out + "…" : out;
    }
}
