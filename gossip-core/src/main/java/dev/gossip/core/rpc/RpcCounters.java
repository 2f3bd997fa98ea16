package dev.gossip.core.rpc;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the RPC server accepted, served and refused, for tests and diagnostics. Thread-safe. */
public final class RpcCounters {

    private final Map<RpcDrop, LongAdder> drops = new EnumMap<>(RpcDrop.class);
    private final LongAdder accepted = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final AtomicLong connected = new AtomicLong();

    RpcCounters() {
        for (RpcDrop d : RpcDrop.values()) {
            drops.put(d, new LongAdder());
        }
    }

    void drop(RpcDrop reason) {
        drops.get(reason).increment();
    }

    void countAccepted() {
        accepted.increment();
    }

    void countCommand() {
        commands.increment();
    }

    AtomicLong connectedGauge() {
        return connected;
    }

    /** How many times {@code reason} happened since the server started. */
    public long drops(RpcDrop reason) {
        return drops.get(reason).sum();
    }

    /** Connections accepted (within the client limit). */
    public long accepted() {
        return accepted.sum();
    }

    /** Requests dispatched to a command handler. */
    public long commands() {
        return commands.sum();
    }

    /** Clients connected now. */
    public long connected() {
        return connected.get();
    }

    /** Every non-zero drop count, for a log line or an assertion message. */
    public Map<RpcDrop, Long> nonZeroDrops() {
        Map<RpcDrop, Long> out = new EnumMap<>(RpcDrop.class);
        drops.forEach((k, v) -> {
            if (v.sum() > 0) {
                out.put(k, v.sum());
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "RpcCounters[accepted=" + accepted() + ", connected=" + connected() + ", commands=" + commands()
                + ", drops=" + nonZeroDrops() + "]";
    }
}
