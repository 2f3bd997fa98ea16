package dev.gossip.core.rpc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;

/**
 * Logback's log lines for {@code monitor}: one appender on the root logger while the RPC server
 * runs. Like serf's agent (log_writer.go:RegisterHandler), it keeps the last {@value #BACKLOG}
 * lines and replays them to a new subscriber, so {@code serf monitor} starts with recent history.
 * Lines look like serf's ({@code 2026/12/02 10:24:34 [INFO] logger: message}). Only what Logback's
 * levels let through reaches it: {@code monitor -log-level=debug} shows debug lines only where
 * Logback logs them.
 */
final class LogbackLogSource implements LogSource {

    static final int BACKLOG = 512;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** A subscriber and the lowest level it wants. */
    private record Subscriber(Level min, Consumer<String> sink) {}

    /** A kept line and its level, so a replay can filter it. */
    private record Line(Level level, String text) {}

    private final Logger root;
    private final AppenderBase<ILoggingEvent> appender;
    /** Guarded by {@code this}: appends, replays and (un)subscriptions don't interleave, so no line is lost or doubled. */
    private final Deque<Line> backlog = new ArrayDeque<>(BACKLOG);
    private final List<Subscriber> subscribers = new ArrayList<>();

    LogbackLogSource(ILoggerFactory factory) {
        LoggerContext context = (LoggerContext) factory;
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        this.appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                Level level = level(e.getLevel());
                publish(new Line(level, format(e, level)));
            }
        };
        appender.setContext(context);
        appender.setName("gossip-rpc-monitor-" + System.identityHashCode(this));
        appender.start();
        root.addAppender(appender);
    }

    /** On the logging thread: the sinks only queue (RpcSession.record), never block or log. */
    private synchronized void publish(Line line) {
        if (backlog.size() == BACKLOG) {
            backlog.removeFirst();
        }
        backlog.addLast(line);
        for (Subscriber s : subscribers) {
            if (line.level().ordinal() >= s.min().ordinal()) {
                s.sink().accept(line.text());
            }
        }
    }

    @Override
    public synchronized AutoCloseable subscribe(Level min, Consumer<String> sink) {
        Subscriber s = new Subscriber(min, sink);
        for (Line line : backlog) {
            if (line.level().ordinal() >= min.ordinal()) {
                sink.accept(line.text());
            }
        }
        subscribers.add(s);
        return () -> {
            synchronized (LogbackLogSource.this) {
                subscribers.remove(s);
            }
        };
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
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
