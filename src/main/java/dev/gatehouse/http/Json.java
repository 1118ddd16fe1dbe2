package dev.gatehouse.http;

/** Minimal JSON string escaping for the bodies the proxy writes itself. */
public final class Json
{
    private Json()
    {
    }

    public static String quote(String s)
    {
        StringBuilder b = new StringBuilder(s == null ? 4 : s.length() + 2);
        appendQuoted(b, s);
        return b.toString();
    }

    public static void appendQuoted(StringBuilder b, String s)
    {
        if (s == null)
        {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            char c = s.charAt(i);
            switch (c)
            {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                default ->
                {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                        b.append(String.format("\\u%04x", (int)c));
                    else
                        b.append(c);
                }
            }
        }
        b.append('"');
    }
}
