package dev.gossip.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what a node sent, received and dropped. Written by the node's thread, readable from
 * any thread (metrics, tests, actuator).
 */
public final class GossipStats {

    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder streamsSent = new LongAdder();
    private final LongAdder streamsReceived = new LongAdder();
    /** One adder per reason, made up front: counting never allocates or races. */
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);

    {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }
    private final Map<String, LongAdder> messages = new ConcurrentHashMap<>();
    private final java.util.List<java.util.function.LongConsumer> rttListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long lastProbeRttNanos = -1;

    /** A direct probe was acked after {@code nanos}. */
    public void probeRtt(long nanos) {
        lastProbeRttNanos = nanos;
        rttListeners.forEach(l -> l.accept(nanos));
    }

    /** Receives every measured probe RTT, in nanoseconds (on the node's thread: be quick). */
    public void onProbeRtt(java.util.function.LongConsumer listener) {
        rttListeners.add(listener);
    }

    /** The last probe RTT in nanoseconds, or -1 before the first. */
    public long lastProbeRttNanos() {
        return lastProbeRttNanos;
    }

    public void packetSent(int bytes) {
        packetsSent.increment();
        bytesSent.add(bytes);
    }

    public void packetReceived(int bytes) {
        packetsReceived.increment();
        bytesReceived.add(bytes);
    }

    public void streamSent(int bytes) {
        streamsSent.increment();
        bytesSent.add(bytes);
    }

    public void streamReceived(int bytes) {
        streamsReceived.increment();
        bytesReceived.add(bytes);
    }

    /** Counts input thrown away. */
    public void drop(DropReason reason) {
        drops.get(reason).increment();
    }

    /** Counts a handled message by kind ("ping", "alive", "user-event", ...). */
    public void message(String kind) {
        messages.computeIfAbsent(kind, r -> new LongAdder()).increment();
    }

    public long packetsSent() {
        return packetsSent.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long packetsReceived() {
        return packetsReceived.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long streamsSent() {
        return streamsSent.sum();
    }

    public long streamsReceived() {
        return streamsReceived.sum();
    }

    public long totalDrops() {
        return drops.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Drops for one reason (0 if never seen): cheap enough for a metrics scrape. */
    public long drops(DropReason reason) {
        return drops.get(reason).sum();
    }

    /** The reasons with at least one drop, and how many. */
    public Map<DropReason, Long> drops() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        drops.forEach((k, v) -> {
            long n = v.sum();
            if (n > 0) {
                m.put(k, n);
            }
        });
        return m;
    }

    /** Handled messages by kind, sorted by kind. */
    public Map<String, Long> messages() {
        Map<String, Long> m = new TreeMap<>();
        messages.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
