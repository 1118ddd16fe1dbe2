package dev.gatehouse.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.gatehouse.config.LogConfig;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log.*} keys to logback for the embedded server: level, JSON or text, the
 * async queue and its loss policy, an optional rolling file, the access log on or off. Skipped
 * when the operator names a logback file ({@code -Dlogback.configurationFile}), which then rules.
 */
public final class LoggingSetup
{
    /**
     * How the ring buffer's consumer waits for lines: parked 10 ms at a time, no spinning and no
     * yielding, and request threads never signal it. The disruptor's default ("sleeping": 100
     * spins, 100 {@code sched_yield}s, then 100 ns parks, which the kernel's timer slack makes
     * ~60 us) woke the thread ~16,000 times a second: a third of a core with no traffic at all, and
     * 2.9 futex calls and 0.9 yields per request under load. Lines reach the sink within 10 ms, in
     * batches of one write each; a full buffer still drops (or waits, with log.never-block=false).
     */
    static final String WAIT_STRATEGY = "sleeping{0,10000000}";

    private LoggingSetup()
    {
    }

    public static boolean apply(LogConfig log)
    {
        if (System.getProperty("logback.configurationFile") != null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx))
            return false;
        ctx.reset();
        Appender<ILoggingEvent> sink = log.filePath().isEmpty() ? console(ctx, log) : file(ctx, log);
        // A disruptor ring buffer: request threads publish without locks and never wait on I/O;
        // with never-block a full buffer drops the line, otherwise the thread waits for room.
        LoggingEventAsyncDisruptorAppender async = new LoggingEventAsyncDisruptorAppender();
        async.setContext(ctx);
        async.setName("ASYNC");
        async.setRingBufferSize(Integer.highestOneBit(Math.max(16, log.queueSize() - 1)) << 1);
        async.setAppendTimeout(ch.qos.logback.core.util.Duration.buildByMilliseconds(log.neverBlock() ? 0 : -1));
        async.setWaitStrategyType(WAIT_STRATEGY);
        async.addAppender(sink);
        async.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(log.level(), Level.INFO));
        root.addAppender(async);
        ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        ctx.getLogger(AccessLog.LOGGER).setLevel(log.accessEnabled() ? Level.INFO : Level.OFF);
        return true;
    }

    /**
     * Stops logback before the process exits: the asynchronous appender writes what is still in
     * its ring buffer, and the console's buffer is flushed, so the last lines of a stop are kept.
     */
    public static void stop()
    {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)
            ctx.stop();
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, LogConfig log)
    {
        if (log.format().equals("text"))
        {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(ctx);
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n");
            text.start();
            return text;
        }
        LogstashEncoder json = new LogstashEncoder();
        json.setContext(ctx);
        json.setTimeZone("UTC");
        json.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");
        json.getFieldNames().setTimestamp("timestamp");
        json.getFieldNames().setVersion("[ignore]");
        json.getFieldNames().setLevelValue("[ignore]");
        json.start();
        return json;
    }

    private static Appender<ILoggingEvent> console(LoggerContext ctx, LogConfig log)
    {
        // not logback's ConsoleAppender: System.out flushes every line with its own write(2)
        return started(ctx, new StdoutAppender<>(), encoder(ctx, log), "CONSOLE");
    }

    private static Appender<ILoggingEvent> file(LoggerContext ctx, LogConfig log)
    {
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(ctx);
        file.setFile(log.filePath());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(file);
        policy.setFileNamePattern(log.filePath() + ".%d{yyyy-MM-dd}.%i.gz");
        policy.setMaxFileSize(new FileSize(log.fileMaxSize()));
        policy.setMaxHistory(log.fileMaxHistory());
        policy.setTotalSizeCap(new FileSize(log.fileTotalSizeCap()));
        policy.start();
        file.setRollingPolicy(policy);
        return started(ctx, file, encoder(ctx, log), "FILE");
    }

    private static Appender<ILoggingEvent> started(LoggerContext ctx, OutputStreamAppender<ILoggingEvent> appender,
                                                   Encoder<ILoggingEvent> encoder, String name)
    {
        appender.setContext(ctx);
        appender.setName(name);
        appender.setEncoder(encoder);
        // the disruptor appender flushes at the end of each batch: one write per batch, not per line
        appender.setImmediateFlush(false);
        appender.start();
        return appender;
    }
}
