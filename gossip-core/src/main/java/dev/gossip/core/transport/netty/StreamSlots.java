package dev.gossip.core.transport.netty;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may hold the inbound stream slots. Each stream may hold its slot for the whole stream
 * timeout by sending nothing, so without shares one host could take them all and lock members
 * out of push/pull and TCP pings. Members (by source IP) may use every slot; non-members share
 * all but a reserve, and each non-member IP at most a few of those.
 *
 * <p>Taken on accept and given back on close, from any event loop: one lock keeps the counts
 * exact, and a connection costs far more than the lock.
 */
final class StreamSlots {

    private final int total;
    private final int perSource;
    private final int forNonMembers;
    private final Map<InetAddress, Integer> nonMembersBySource = new HashMap<>();
    private int open;
    private int nonMembers;

    /**
     * @param perSource the most one non-member IP may hold
     * @param memberReserve slots only members may take
     */
    StreamSlots(int total, int perSource, int memberReserve) {
        this.total = total;
        this.perSource = perSource;
        this.forNonMembers = total - memberReserve;
    }

    /**
     * Takes a slot for a stream from {@code source}; give it back with {@link #release} with the
     * same arguments.
     *
     * @return {@code null} when taken, else why not
     */
    synchronized TransportDrop acquire(InetAddress source, boolean member) {
        if (open >= total) {
            return TransportDrop.TOO_MANY_STREAMS;
        }
        if (!member) {
            if (nonMembers >= forNonMembers) {
                return TransportDrop.TOO_MANY_STREAMS;
            }
            int fromSource = nonMembersBySource.getOrDefault(source, 0);
            if (fromSource >= perSource) {
                return TransportDrop.TOO_MANY_STREAMS_FROM_SOURCE;
            }
            nonMembersBySource.put(source, fromSource + 1);
            nonMembers++;
        }
        open++;
        return null;
    }

    synchronized void release(InetAddress source, boolean member) {
        open--;
        if (!member) {
            nonMembers--;
            // Forget an IP with nothing open, so the map holds at most one entry per open stream.
            nonMembersBySource.computeIfPresent(source, (ip, n) -> n == 1 ? null : n - 1);
        }
    }

    synchronized int open() {
        return open;
    }
}
