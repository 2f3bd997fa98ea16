package dev.gossip.core.rpc;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * Where {@code monitor} gets the node's log lines. The core logs through SLF4J only, which has no
 * way to listen to what is logged, so each logging backend needs its own source;
 * {@link LogSources#detect()} picks Logback's when it is SLF4J's binding.
 */
public interface LogSource extends AutoCloseable {

    /** serf's log levels (logutils), lowest first; {@code ERR} is Logback's ERROR. */
    enum Level {
        TRACE, DEBUG, INFO, WARN, ERR;

        /** serf's level names, any case ({@code monitor -log-level=debug}); null when unknown. */
        static Level parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * Delivers every line at {@code min} or above to {@code sink} until the returned handle is
     * closed. {@code sink} is called on the logging thread (maybe the node's protocol thread): it
     * must not block or log.
     */
    AutoCloseable subscribe(Level min, Consumer<String> sink);

    /** Stops listening to the backend; the RPC server calls it for a source it detected itself. */
    @Override
    default void close() {
    }
}
