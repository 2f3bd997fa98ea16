package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link TransportStats}; bumped from any Netty thread. */
final class TransportCounters {

    /** Why a packet or stream was thrown away. */
    enum Drop {
        OVERSIZE, MALFORMED, TOO_MANY_STREAMS, TIMEOUT, SEND_FAILURE, NOT_ENCRYPTED;

        /** The framer's reason for refusing a stream, as a counter. */
        static Drop of(StreamFramer.MalformedStreamException e) {
            return StreamFramer.NOT_ENCRYPTED.equals(e.reason()) ? NOT_ENCRYPTED : MALFORMED;
        }
    }

    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder packetBytesSent = new LongAdder();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetBytesReceived = new LongAdder();
    private final LongAdder streamsIn = new LongAdder();
    private final LongAdder streamsOut = new LongAdder();
    private final Map<Drop, LongAdder> drops = new EnumMap<>(Drop.class);

    TransportCounters() {
        for (Drop reason : Drop.values()) {
            drops.put(reason, new LongAdder());
        }
    }

    void packetSent(int bytes) {
        packetsSent.increment();
        packetBytesSent.add(bytes);
    }

    void packetReceived(int bytes) {
        packetsReceived.increment();
        packetBytesReceived.add(bytes);
    }

    void streamIn() {
        streamsIn.increment();
    }

    void streamOut() {
        streamsOut.increment();
    }

    void drop(Drop reason) {
        drops.get(reason).increment();
    }

    TransportStats snapshot() {
        return new TransportStats(
                packetsSent.sum(), packetBytesSent.sum(),
                packetsReceived.sum(), packetBytesReceived.sum(),
                streamsIn.sum(), streamsOut.sum(),
                drops.get(Drop.OVERSIZE).sum(),
                drops.get(Drop.MALFORMED).sum(),
                drops.get(Drop.TOO_MANY_STREAMS).sum(),
                drops.get(Drop.TIMEOUT).sum(),
                drops.get(Drop.SEND_FAILURE).sum(),
                drops.get(Drop.NOT_ENCRYPTED).sum());
    }
}
