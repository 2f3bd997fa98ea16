package dev.gossip.core.transport.netty;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live counters behind {@link TransportStats}; bumped from any Netty thread. */
final class TransportCounters {

    private static final Logger log = LoggerFactory.getLogger(TransportCounters.class);

    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder packetBytesSent = new LongAdder();
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetBytesReceived = new LongAdder();
    private final LongAdder streamsIn = new LongAdder();
    private final LongAdder streamsOut = new LongAdder();
    private final LongAdder readPauses = new LongAdder();
    private final Map<TransportDrop, LongAdder> drops = new EnumMap<>(TransportDrop.class);
    private final Consumer<TransportDrop> dropListener;

    TransportCounters(Consumer<TransportDrop> dropListener) {
        this.dropListener = dropListener;
        for (TransportDrop reason : TransportDrop.values()) {
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

    void readPaused() {
        readPauses.increment();
    }

    void drop(TransportDrop reason) {
        drops.get(reason).increment();
        try {
            dropListener.accept(reason);
        } catch (RuntimeException e) {
            // Counting must not cut short the path that dropped, e.g. a request's callback.
            log.warn("Drop listener failed on {}", reason, e);
        }
    }

    TransportStats snapshot() {
        return new TransportStats(
                packetsSent.sum(), packetBytesSent.sum(),
                packetsReceived.sum(), packetBytesReceived.sum(),
                streamsIn.sum(), streamsOut.sum(), readPauses.sum(),
                drops.get(TransportDrop.OVERSIZE).sum(),
                drops.get(TransportDrop.MALFORMED).sum(),
                drops.get(TransportDrop.TOO_MANY_STREAMS).sum(),
                drops.get(TransportDrop.TOO_MANY_STREAMS_FROM_SOURCE).sum(),
                drops.get(TransportDrop.TIMEOUT).sum(),
                drops.get(TransportDrop.SEND_FAILURE).sum(),
                drops.get(TransportDrop.NOT_ENCRYPTED).sum());
    }
}
