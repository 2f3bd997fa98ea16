package dev.gossip.core.sim;

/** The mutable tallies behind {@link NetworkStats}; single-threaded like the rest of the simulation. */
final class NetworkCounters {

    long packetsSent;
    long packetsDelivered;
    long packetsDroppedLoss;
    long packetsDroppedPartition;
    long packetsDroppedNoListener;
    long streamsOpened;
    long streamsSucceeded;
    long streamsFailed;
    long packetBytesSent;
    long streamBytes;

    NetworkStats snapshot() {
        return new NetworkStats(packetsSent, packetsDelivered, packetsDroppedLoss,
                packetsDroppedPartition, packetsDroppedNoListener, streamsOpened, streamsSucceeded,
                streamsFailed, packetBytesSent, streamBytes);
    }
}
