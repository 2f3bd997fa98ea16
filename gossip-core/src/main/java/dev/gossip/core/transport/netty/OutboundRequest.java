package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound request's outcome. Connect, write, read and the deadline race each other on
 * different threads; whichever finishes first wins, the others find the request done. Finishing
 * closes the connection and cancels the deadline.
 */
final class OutboundRequest {

    private static final Logger log = LoggerFactory.getLogger(OutboundRequest.class);

    private final InetSocketAddress to;
    private final Transport.StreamCallback callback;
    private final BooleanSupplier stopped;
    private final TransportCounters counters;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Channel channel;
    private volatile Future<?> deadline;

    OutboundRequest(InetSocketAddress to, Transport.StreamCallback callback,
                    BooleanSupplier stopped, TransportCounters counters) {
        this.to = to;
        this.callback = callback;
        this.stopped = stopped;
        this.counters = counters;
    }

    InetSocketAddress to() {
        return to;
    }

    /** Remembers the connection so that finishing closes it, even if it finished already. */
    void attach(Channel ch) {
        channel = ch;
        if (done.get()) {
            ch.close();
        }
    }

    /** Remembers the deadline so that finishing cancels it, even if it finished already. */
    void deadline(Future<?> timer) {
        deadline = timer;
        if (done.get()) {
            timer.cancel(false);
        }
    }

    boolean isDone() {
        return done.get();
    }

    /** Completes with {@code reply} ({@code null} when none was expected) unless already done. */
    void succeed(byte[] reply) {
        if (!finish()) {
            return;
        }
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            callback.onReply(reply);
        } catch (RuntimeException e) {
            log.warn("Request callback for {} failed", to, e);
        }
    }

    /** Fails with {@code cause}, counted as {@code reason}, unless already done. */
    void fail(Throwable cause, TransportDrop reason) {
        if (!finish()) {
            return;
        }
        counters.drop(reason);
        log.debug("Request to {} failed ({})", to, reason, cause);
        if (stopped.getAsBoolean()) {
            return;
        }
        try {
            callback.onFailure(cause);
        } catch (RuntimeException e) {
            log.warn("Request callback for {} failed", to, e);
        }
    }

    private boolean finish() {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        Future<?> timer = deadline;
        if (timer != null) {
            timer.cancel(false);
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        return true;
    }
}
