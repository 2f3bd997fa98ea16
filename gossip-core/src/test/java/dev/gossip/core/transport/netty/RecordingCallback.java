package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import java.util.concurrent.atomic.AtomicInteger;

/** Test callback: remembers the outcome and how many times it was completed. */
final class RecordingCallback implements Transport.StreamCallback {

    final AtomicInteger completions = new AtomicInteger();
    volatile boolean replied;
    volatile byte[] reply;
    volatile Throwable failure;

    @Override
    public void onReply(byte[] reply) {
        this.reply = reply;
        this.replied = true;
        completions.incrementAndGet();
    }

    @Override
    public void onFailure(Throwable cause) {
        this.failure = cause;
        completions.incrementAndGet();
    }

    boolean done() {
        return completions.get() > 0;
    }
}
