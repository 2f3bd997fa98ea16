package dev.gossip.core.cluster;

/**
 * A Lamport clock (§7.2): orders intents, events and queries across the cluster without
 * synchronised wall clocks. Used only on the node's thread.
 */
final class LamportClock {

    private long counter;

    long time() {
        return counter;
    }

    long increment() {
        return ++counter;
    }

    /** Moves past a time seen elsewhere, so our next stamp is later than it. */
    void witness(long v) {
        if (v >= counter) {
            counter = v + 1;
        }
    }
}
