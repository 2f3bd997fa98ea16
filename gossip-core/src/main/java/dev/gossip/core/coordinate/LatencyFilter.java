package dev.gossip.core.coordinate;

import java.util.ArrayDeque;
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

    /** Recent samples in seconds, oldest first, keyed by peer name. */
    private final Map<String, ArrayDeque<Double>> samplesByNode = new HashMap<>();

    LatencyFilter(int size) {
        this.size = size;
    }

    /** Records {@code rttSeconds} for {@code node} and returns the median of its recent samples. */
    double add(String node, double rttSeconds) {
        ArrayDeque<Double> samples =
                samplesByNode.computeIfAbsent(node, n -> new ArrayDeque<>(size));
        samples.addLast(rttSeconds);
        if (samples.size() > size) {
            samples.removeFirst();
        }

        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
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
