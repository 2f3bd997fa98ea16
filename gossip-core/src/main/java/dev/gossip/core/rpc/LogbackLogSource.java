package dev.gossip.core.rpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;

/**
 * Logback's log lines for {@code monitor}: an appender on the root logger, added per subscriber
 * and removed when it unsubscribes. Lines look like serf's ({@code 2026/12/02 10:24:34 [INFO]
 * logger: message}). Only what Logback's levels let through reaches it: {@code monitor
 * -log-level=debug} shows debug lines only where Logback logs them.
 */
final class LogbackLogSource implements LogSource {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final LoggerContext context;

    LogbackLogSource(ILoggerFactory factory) {
        this.context = (LoggerContext) factory;
    }

    @Override
    public AutoCloseable subscribe(Level min, Consumer<String> sink) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                Level level = level(e.getLevel());
                if (level.ordinal() >= min.ordinal()) {
                    sink.accept(format(e, level));
                }
            }
        };
        appender.setContext(context);
        appender.setName("gossip-rpc-monitor-" + System.identityHashCode(appender));
        appender.start();
        root.addAppender(appender);
        return () -> {
            root.detachAppender(appender);
            appender.stop();
        };
    }

    private static Level level(ch.qos.logback.classic.Level l) {
        return switch (l.toInt()) {
            case ch.qos.logback.classic.Level.ERROR_INT -> Level.ERR;
            case ch.qos.logback.classic.Level.WARN_INT -> Level.WARN;
            case ch.qos.logback.classic.Level.INFO_INT -> Level.INFO;
            case ch.qos.logback.classic.Level.DEBUG_INT -> Level.DEBUG;
            default -> Level.TRACE;
        };
    }

    private static String format(ILoggingEvent e, Level level) {
        String logger = e.getLoggerName();
        return TIME.format(Instant.ofEpochMilli(e.getTimeStamp())) + " [" + level + "] "
                + logger.substring(logger.lastIndexOf('.') + 1) + ": " + e.getFormattedMessage();
    }
}
