package dev.gatehouse.observe;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

import ch.qos.logback.core.OutputStreamAppender;

/**
 * Log lines to standard output through a buffer of its own, written by the asynchronous appender
 * in one system call per batch of lines. Logback's {@code ConsoleAppender} writes through
 * {@code System.out}, a {@code PrintStream} that flushes every write through a 128-byte buffer:
 * one {@code write(2)} per line, whatever {@code immediateFlush} says. Lines are whole in the
 * buffer; a line longer than the buffer is written as it comes. Stopping the appender flushes it
 * and leaves standard output open.
 */
public class StdoutAppender<E> extends OutputStreamAppender<E>
{
    /** Bytes held between flushes: a batch of access-log lines (~450 bytes each) in one write. */
    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private int bufferSize = DEFAULT_BUFFER_SIZE;

    public void setBufferSize(int bufferSize)
    {
        this.bufferSize = bufferSize;
    }

    @Override
    public void start()
    {
        setOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), Math.max(1024, bufferSize))
        {
            @Override
            public void close() throws IOException
            {
                flush(); // standard output stays open for whoever writes after this appender
            }
        });
        super.start();
    }
}
