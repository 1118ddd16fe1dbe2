package dev.gatehouse.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.observe.AccessLog;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Captures the access log of this JVM as the JSON lines the proxy writes. */
public final class AccessLines implements AutoCloseable
{
    private final Logger logger = (Logger)LoggerFactory.getLogger(AccessLog.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final LogstashEncoder encoder = new LogstashEncoder();
    private final Level previous;

    public AccessLines()
    {
        appender.start();
        logger.addAppender(appender);
        previous = logger.getLevel();
        logger.setLevel(Level.INFO);
        encoder.setContext(logger.getLoggerContext());
        encoder.start();
    }

    public List<String> lines()
    {
        synchronized (appender) // AppenderBase.doAppend holds the appender's lock while it adds
        {
            return appender.list.stream().map(e -> new String(encoder.encode(e), StandardCharsets.UTF_8)).collect(Collectors.toList());
        }
    }

    /** The first line that matches, waiting for it (the line is written when the exchange completes); null if none came. */
    public String await(Predicate<String> match, Duration timeout) throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            for (String line : lines())
            {
                if (match.test(line))
                    return line;
            }
            if (System.nanoTime() > deadline)
                return null;
            Poll.pause();
        }
    }

    @Override
    public void close()
    {
        logger.setLevel(previous);
        logger.detachAppender(appender);
    }
}
