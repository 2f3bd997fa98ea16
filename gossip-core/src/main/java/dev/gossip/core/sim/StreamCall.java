package dev.gossip.core.sim;

import dev.gossip.core.time.Scheduler.Cancellable;
import dev.gossip.core.transport.Transport.StreamCallback;
import java.net.InetSocketAddress;

/**
 * The caller's side of one simulated stream. Whatever happens first (reply, failure, timeout, the
 * caller shutting down) settles it; everything later is ignored, so the callback runs at most once.
 */
final class StreamCall {

    final SimulatedTransport caller;
    final InetSocketAddress to;
    private final StreamCallback callback;
    private final NetworkCounters counters;
    private Cancellable timeout;
    private boolean done;

    StreamCall(SimulatedTransport caller, InetSocketAddress to, StreamCallback callback,
               NetworkCounters counters) {
        this.caller = caller;
        this.to = to;
        this.callback = callback;
        this.counters = counters;
    }

    void armTimeout(Cancellable timeout) {
        this.timeout = timeout;
    }

    boolean isDone() {
        return done;
    }

    void succeed(byte[] reply) {
        if (settle()) {
            counters.streamsSucceeded++;
            counters.streamBytes += reply == null ? 0 : reply.length;
            callback.onReply(reply);
        }
    }

    void fail(Throwable cause) {
        if (settle()) {
            counters.streamsFailed++;
            callback.onFailure(cause);
        }
    }

    /** The caller shut down: no callback may fire any more. */
    void abandon() {
        settle();
    }

    private boolean settle() {
        if (done) {
            return false;
        }
        done = true;
        if (timeout != null) {
            timeout.cancel();
        }
        caller.forget(this);
        return true;
    }
}
