package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SecurityLogTest
{
    @Test
    void escapesLineBreaksTabsAndControlCharacters()
    {
        assertEquals("a\\x0d\\x0ab\\x09c\\x00\\x1b[31m\\x7f", SecurityLog.escape("a\r\nb\tc\u0000\u001b[31m\u007f"));
    }

    @Test
    void escapesBackslashAndDoubleQuote()
    {
        assertEquals("say \\\"hi\\\" C:\\\\x", SecurityLog.escape("say \"hi\" C:\\x"));
    }

    @Test
    void escapesNonAsciiCharacters()
    {
        assertEquals("caf\\xe9 \\x85 \\u2028 \\ud83d\\ude00", SecurityLog.escape("café \u0085 \u2028 😀"));
    }

    @Test
    void keepsPrintableAsciiAndMapsNullToDash()
    {
        String printable = "GET /a?b=c&d=e#f ~!@$%^*()_+{}|:<>[];',./`";
        assertEquals(printable, SecurityLog.escape(printable));
        assertEquals("-", SecurityLog.escape(null));
        assertEquals("", SecurityLog.escape(""));
    }

    @Test
    void truncatesLongValuesWithEllipsis()
    {
        assertEquals("a".repeat(256), SecurityLog.escape("a".repeat(256)));
        assertEquals("a".repeat(256) + "…", SecurityLog.escape("a".repeat(257)));
        assertEquals("a".repeat(256) + "…", SecurityLog.escape("a".repeat(1_000_000)));
    }

    @Test
    void truncationNeverSplitsAnEscapeSequence()
    {
        assertEquals("a".repeat(254) + "…", SecurityLog.escape("a".repeat(254) + "\n"));
        assertEquals("a".repeat(252) + "\\x0a…", SecurityLog.escape("a".repeat(252) + "\n\n"));
    }

    @Test
    void logsOneWarnLineThatInjectedLineBreaksCannotSplit()
    {
        Logger logger = (Logger)LoggerFactory.getLogger(SecurityLog.LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try
        {
            SecurityLog.event("proxy_auth_failed", "192.0.2.7", "req-1",
                "x\r\nsecurity event reason=admin_login client=127.0.0.1 request_id=- value=\"ok\"");
            SecurityLog.event("blocked", null, null, null);

            List<ILoggingEvent> events = appender.list;
            assertEquals(2, events.size());
            ILoggingEvent first = events.get(0);
            assertEquals(Level.WARN, first.getLevel());
            String line = first.getFormattedMessage();
            assertFalse(line.contains("\r") || line.contains("\n"), line);
            assertEquals("security event reason=proxy_auth_failed client=192.0.2.7 request_id=req-1 "
                + "value=\"x\\x0d\\x0asecurity event reason=admin_login client=127.0.0.1 request_id=- value=\\\"ok\\\"\"", line);
            assertTrue(line.startsWith("security event reason=proxy_auth_failed"));
            assertEquals("security event reason=blocked client=- request_id=- value=\"-\"", events.get(1).getFormattedMessage());
        }
        finally
        {
            logger.detachAppender(appender);
        }
    }
}
