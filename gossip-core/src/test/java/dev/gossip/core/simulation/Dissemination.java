package dev.gossip.core.simulation;

import java.util.Arrays;

/**
 * How far a mass join has spread over time: at each sample, the share of the N × N (node,
 * member) pairs in which the node knows the member, in any status (none fails during the
 * joins). Read from each node's member count, so a sample costs O(N), not O(N²).
 */
final class Dissemination {

    private final int n;
    private double[] seconds = new double[64];
    private double[] known = new double[64];
    private int samples;

    Dissemination(int n) {
        this.n = n;
    }

    /** Records the cluster now; true when every node knows every member. */
    boolean sample(SimCluster c) {
        long pairs = 0;
        for (SimCluster.SimNode node : c.live()) {
            pairs += node.node.internalSizes().getOrDefault("serf.members", 0);
        }
        if (samples == seconds.length) {
            seconds = Arrays.copyOf(seconds, samples * 2);
            known = Arrays.copyOf(known, samples * 2);
        }
        seconds[samples] = c.seconds();
        known[samples] = pairs / ((double) n * n);
        samples++;
        return pairs >= (long) n * n;
    }

    double[] seconds() {
        return Arrays.copyOf(seconds, samples);
    }

    /** Shares of pairs known, 0 to 1. */
    double[] known() {
        return Arrays.copyOf(known, samples);
    }
}
