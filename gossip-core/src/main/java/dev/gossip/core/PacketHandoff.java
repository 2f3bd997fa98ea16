package dev.gossip.core;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded hand-off of received datagrams from the transport's thread to the protocol thread
 * (memberlist's handoff queue, net.go:handleCommand and state.go:packetHandler), in two lanes:
 * datagrams from members' addresses, and from anyone else. The protocol thread always takes
 * members' first, so a flood from a host that is no member fills only its own lane, and a
 * member's ping waits at most for the datagram being handled, not for the flood queued ahead of
 * it. (memberlist splits by message type instead, and answers pings on the reading goroutine.)
 * A full lane drops what arrives, and the caller counts it.
 */
final class PacketHandoff {

    private static final Logger log = LoggerFactory.getLogger(PacketHandoff.class);

    /** memberlist's HandoffQueueDepth. */
    static final int MEMBER_DEPTH = 1024;
    /** Enough for the few datagrams of nodes that are joining, and no more for a flood. */
    static final int OTHER_DEPTH = 256;
    /** Datagrams handled per turn, so timers and streams get the thread in between. */
    static final int BATCH = 64;

    private record Datagram(byte[] packet, InetSocketAddress from) {}

    private final Queue<Datagram> members = new ArrayBlockingQueue<>(MEMBER_DEPTH);
    private final Queue<Datagram> others = new ArrayBlockingQueue<>(OTHER_DEPTH);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor protocolThread;
    private final BiConsumer<byte[], InetSocketAddress> handler;

    /** @param handler runs on {@code protocolThread}, one datagram at a time */
    PacketHandoff(Executor protocolThread, BiConsumer<byte[], InetSocketAddress> handler) {
        this.protocolThread = protocolThread;
        this.handler = handler;
    }

    /** Any thread. @return false if the datagram's lane is full (it is dropped) */
    boolean offer(byte[] packet, InetSocketAddress from, boolean fromMember) {
        if (!(fromMember ? members : others).offer(new Datagram(packet, from))) {
            return false;
        }
        if (scheduled.compareAndSet(false, true)) {
            protocolThread.execute(this::drain);
        }
        return true;
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Datagram d = members.poll();
            if (d == null) {
                d = others.poll();
            }
            if (d == null) {
                break;
            }
            try {
                handler.accept(d.packet(), d.from());
            } catch (RuntimeException e) {
                // The handler counts what it drops; this only keeps the lanes flowing.
                log.warn("Failed to handle a datagram from {}", d.from(), e);
            }
        }
        if (members.isEmpty() && others.isEmpty()) {
            scheduled.set(false);
            // A datagram offered after the polls above but before the flag was cleared saw it
            // set and did not schedule: take the turn for it.
            if ((members.isEmpty() && others.isEmpty()) || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
        protocolThread.execute(this::drain);
    }

    /** Datagrams waiting (a gauge; at most {@link #MEMBER_DEPTH} + {@link #OTHER_DEPTH}). */
    int pending() {
        return members.size() + others.size();
    }
}
