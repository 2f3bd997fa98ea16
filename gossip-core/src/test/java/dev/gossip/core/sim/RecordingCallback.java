package dev.gossip.core.sim;

import dev.gossip.core.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/** Test callback: remembers every completion (there must be at most one) and when it came. */
final class RecordingCallback implements Transport.StreamCallback {

    private final VirtualTime time;
    final List<Object> outcomes = new ArrayList<>();
    long completedAt = -1;

    RecordingCallback(VirtualTime time) {
        this.time = time;
    }

    @Override
    public void onReply(byte[] reply) {
        completedAt = time.now();
        outcomes.add(reply == null ? "null reply" : "reply:" + new String(reply));
    }

    @Override
    public void onFailure(Throwable cause) {
        completedAt = time.now();
        outcomes.add(cause);
    }
}
