package dev.gatehouse.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

/**
 * Changes a file that a running proxy watches (a domain list, a keys file) the way an operator
 * should: the new content is written beside it and moved over it in one step, so a poll can never
 * read it half written (an empty list is valid, and would be loaded). Its modification time is set
 * {@code aheadMillis} into the future, so the change is seen even within the file system's
 * timestamp granularity.
 */
public final class WatchedFiles
{
    private WatchedFiles()
    {
    }

    public static void replace(Path file, String content, long aheadMillis) throws IOException
    {
        Path next = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".next");
        Files.writeString(next, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(next, FileTime.fromMillis(System.currentTimeMillis() + aheadMillis));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
