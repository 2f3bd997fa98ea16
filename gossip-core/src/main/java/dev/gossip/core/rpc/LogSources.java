package dev.gossip.core.rpc;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Finds a {@link LogSource} for the logging backend SLF4J is bound to. */
public final class LogSources {

    private LogSources() {}

    /** Logback's source when Logback is SLF4J's binding; null otherwise. */
    public static LogSource detect() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory.getClass().getName().startsWith("ch.qos.logback.")) {
            return new LogbackLogSource(factory);
        }
        return null;
    }

    /** The error {@code monitor} answers without a source: it says what to change. */
    static String unavailable() {
        return "Log streaming is not available: SLF4J is bound to "
                + LoggerFactory.getILoggerFactory().getClass().getName()
                + "; add ch.qos.logback:logback-classic as the SLF4J binding, or give RpcConfig a logSource";
    }
}
