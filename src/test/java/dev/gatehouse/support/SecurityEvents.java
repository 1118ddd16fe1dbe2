package dev.gatehouse.support;

import java.util.List;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Captures the security events the proxy logs (logger {@code gatehouse.security}) in this JVM. */
public final class SecurityEvents implements AutoCloseable
{
    private final Logger logger = (Logger)LoggerFactory.getLogger("gatehouse.security");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public SecurityEvents()
    {
        appender.start();
        logger.addAppender(appender);
    }

    public List<String> lines()
    {
        synchronized (appender) // AppenderBase.doAppend holds the appender's lock while it adds
        {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        }
    }

    public List<String> withReason(String reason)
    {
        return lines().stream().filter(l -> l.contains("reason=" + reason + " ")).collect(Collectors.toList());
    }

    @Override
    public void close()
    {
        logger.detachAppender(appender);
    }
}
