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
 */
public record NetworkStats(
        long packetsSent,
        long packetsDelivered,
        long packetsDroppedLoss,
        long packetsDroppedPartition,
        long packetsDroppedNoListener,
        long streamsOpened,
        long streamsSucceeded,
        long streamsFailed) {

    /** Packets dropped for any reason. */
    public long packetsDropped() {
        return packetsDroppedLoss + packetsDroppedPartition + packetsDroppedNoListener;
    }
}
