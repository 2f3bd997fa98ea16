package dev.gossip.core.sim;

/**
 * A snapshot of what a {@link SimulatedNetwork} has carried. Once nothing is in flight,
 * {@code packetsSent == packetsDelivered + packetsDropped()}.
 *
 * @param packetsDroppedLoss lost to a link's loss probability
 * @param packetsDroppedPartition sent across a partition
 * @param packetsDroppedNoListener arrived where nothing was started, or it had shut down
 * @param streamsFailed refused, timed out, closed or reset; streams whose caller shut down first
 *     count as neither succeeded nor failed
 * @param packetBytesSent the bytes of every packet sent, as they left the sender (encrypted,
 *     compressed: what a UDP payload would carry)
 * @param streamBytes the bytes of every stream request and reply (push/pulls, TCP pings, user
 *     messages), as sent
 */
public record NetworkStats(
        long packetsSent,
        long packetsDelivered,
        long packetsDroppedLoss,
        long packetsDroppedPartition,
        long packetsDroppedNoListener,
        long streamsOpened,
        long streamsSucceeded,
        long streamsFailed,
        long packetBytesSent,
        long streamBytes) {

    /** Packets dropped for any reason. */
    public long packetsDropped() {
        return packetsDroppedLoss + packetsDroppedPartition + packetsDroppedNoListener;
    }
}
