package dev.gatehouse.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events (refused credentials, blocked destinations, suspicious input) as single WARN
 * lines on the logger {@value #LOGGER_NAME}, so operators can route them separately. Every field
 * is escaped: client-supplied text can never start a new log line or forge a field.
 */
public final class SecurityLog
{
    /** The SLF4J logger name that carries security events. */
    public static final String LOGGER_NAME = "gatehouse.security";
    /** Longest escaped text kept from one value; longer values end in {@code …}. */
    public static final int MAX_ESCAPED_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SecurityLog()
    {
    }

    /**
     * Logs one line: {@code security event reason=<reason> client=<client> request_id=<id>
     * value="<escaped value>"}. All four fields are escaped; null becomes {@code -}.
     */
    public static void event(String reason, String client, String requestId, String value)
    {
        if (!LOG.isWarnEnabled())
            return;
        LOG.warn("security event reason={} client={} request_id={} value=\"{}\"",
            escape(reason), escape(client), escape(requestId), escape(value));
    }

    /**
     * Makes {@code value} safe for one log line: backslash and double quote are escaped with a
     * backslash; every other character outside printable ASCII becomes <code>&#92;xNN</code> below
     * U+0100 (CR, LF, tab, other control characters, Latin-1) and <code>&#92;uNNNN</code> above
     * (each UTF-16 unit). The escaped text is cut at {@value #MAX_ESCAPED_LENGTH} characters, never
     * inside an escape, and then marked with {@code …}. Null gives {@code -}.
     */
    public static String escape(String value)
    {
        if (value == null)
            return "-";
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_ESCAPED_LENGTH) + 8);
        for (int i = 0; i < value.length(); i++)
        {
            int start = out.length();
            char c = value.charAt(i);
            if (c == '\\' || c == '"')
                out.append('\\').append(c);
            else if (c >= 0x20 && c < 0x7f)
                out.append(c);
            else if (c <= 0xff)
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            else
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            if (out.length() > MAX_ESCAPED_LENGTH)
            {
                // never cut an escape sequence in half
                out.setLength(start);
                return out.append('…').toString();
            }
        }
        return out.toString();
    }
}
