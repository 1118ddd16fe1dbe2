package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainMatcherFileTest
{
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception
    {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void loadsOneEntryPerLineSkippingCommentsAndBlankLines() throws Exception
    {
        Path file = write("blocked.txt", """
            # trackers
            tracker.example

               *.ads.example   # every ad server
            # evil.example
            bücher.example
            10.0.0.1#no space before the comment
            """);
        DomainMatcher m = DomainMatcher.load("filter.blocked-file", file);
        assertEquals(4, m.size());
        assertTrue(m.matches("tracker.example"));
        assertTrue(m.matches("x.ads.example"));
        assertFalse(m.matches("ads.example"));
        assertTrue(m.matches("xn--bcher-kva.example"));
        assertTrue(m.matches("10.0.0.1"));
        assertFalse(m.matches("evil.example"));
    }

    @Test
    void toleratesWindowsLineEndingsAndByteOrderMark() throws Exception
    {
        Path file = write("crlf.txt", "\uFEFFfirst.example\r\n# note\r\nsecond.example\r\n");
        DomainMatcher m = DomainMatcher.load("filter.allowed-file", file);
        assertTrue(m.matches("first.example"));
        assertTrue(m.matches("second.example"));
        assertEquals(2, m.size());
    }

    @Test
    void fileWithOnlyCommentsIsEmpty() throws Exception
    {
        DomainMatcher m = DomainMatcher.load("filter.blocked-file", write("empty.txt", "# nothing yet\n\n"));
        assertEquals(0, m.size());
        assertFalse(m.matches("example.com"));
    }

    @Test
    void badLineIsReportedWithKeyFileLineNumberAndEntry() throws Exception
    {
        Path file = write("bad.txt", "good.example\n# comment\nnot a host   # oops\nlater.example\n");
        ConfigException x = assertThrows(ConfigException.class, () -> DomainMatcher.load("filter.blocked-file", file));
        assertEquals("filter.blocked-file", x.key());
        String message = x.getMessage();
        assertTrue(message.startsWith("filter.blocked-file "), message);
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("line 3"), message);
        assertTrue(message.contains("'not a host'"), message);
    }

    @Test
    void badWildcardLineIsReportedWithItsLineNumber() throws Exception
    {
        Path file = write("wild.txt", "a.example\nb.example\n*.c.example\nd.*.example\n");
        ConfigException x = assertThrows(ConfigException.class, () -> DomainMatcher.load("filter.allowed-file", file));
        assertTrue(x.getMessage().contains("line 4"), x.getMessage());
        assertTrue(x.getMessage().contains("'d.*.example'"), x.getMessage());
    }

    @Test
    void missingFileIsReportedWithKeyAndFile()
    {
        Path missing = dir.resolve("no-such-list.txt");
        ConfigException x = assertThrows(ConfigException.class, () -> DomainMatcher.load("filter.blocked-file", missing));
        assertEquals("filter.blocked-file", x.key());
        assertTrue(x.getMessage().startsWith("filter.blocked-file "), x.getMessage());
        assertTrue(x.getMessage().contains(missing.toString()), x.getMessage());
    }

    @Test
    void directoryInsteadOfFileIsReported()
    {
        ConfigException x = assertThrows(ConfigException.class, () -> DomainMatcher.load("filter.blocked-file", dir));
        assertTrue(x.getMessage().contains(dir.toString()), x.getMessage());
    }

    @Test
    void entryThatIsNotUtf8IsReportedWithItsLineNumber() throws Exception
    {
        Path file = dir.resolve("latin1.txt");
        byte[] good = "one.example\n# caf\u00e9 in a comment is fine\ntwo.example\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'m', (byte)0xfc, 'n', 'c', 'h', 'e', 'n', '\n'};
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(file, all);
        ConfigException x = assertThrows(ConfigException.class, () -> DomainMatcher.load("filter.blocked-file", file));
        assertTrue(x.getMessage().startsWith("filter.blocked-file "), x.getMessage());
        assertTrue(x.getMessage().contains(file.toString()), x.getMessage());
        assertTrue(x.getMessage().contains("line 4"), x.getMessage());
    }
}
