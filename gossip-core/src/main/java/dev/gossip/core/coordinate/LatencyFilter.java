package dev.gossip.core.coordinate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Moving median over the last few RTT samples of each peer. A single slow probe (a GC pause, a
 * lost packet retried) is then never seen by Vivaldi, while a real change shows up after a couple
 * of probes. Not thread-safe, like its owner {@link CoordinateClient}.
 */
final class LatencyFilter {

    /** Samples kept per peer. */
    private final int size;

    /** Recent samples of each peer, keyed by peer name. */
    private final Map<String, Samples> samplesByNode = new HashMap<>();

    LatencyFilter(int size) {
        this.size = size;
    }

    /**
     * The last {@code size} samples of one peer, in seconds, in a ring of unboxed doubles: a node
     * keeps one per peer it has probed, so in a large cluster the ring's size is what matters.
     */
    private static final class Samples {
        final double[] ring;
        int count;
        int next;

        Samples(int size) {
            ring = new double[size];
        }
    }

    /** Records {@code rttSeconds} for {@code node} and returns the median of its recent samples. */
    double add(String node, double rttSeconds) {
        Samples samples = samplesByNode.computeIfAbsent(node, n -> new Samples(size));
        samples.ring[samples.next] = rttSeconds;
        samples.next = (samples.next + 1) % size;
        samples.count = Math.min(samples.count + 1, size);

        double[] sorted = Arrays.copyOf(samples.ring, samples.count);
        Arrays.sort(sorted);
        // Upper median for even counts, as in Serf.
        return sorted[sorted.length / 2];
    }

    /** Drops the samples of a node that left, so the map does not grow forever. */
    void forget(String node) {
        samplesByNode.remove(node);
    }

    /** Number of peers with samples. */
    int trackedNodes() {
        return samplesByNode.size();
    }
}
