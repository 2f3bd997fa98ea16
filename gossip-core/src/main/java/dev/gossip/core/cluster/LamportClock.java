package dev.gossip.core.cluster;

/**
 * A Lamport clock (§7.2): orders intents, events and queries across the cluster without
 * synchronised wall clocks. Used only on the node's thread.
 *
 * <p>Serf's LamportTime is a uint64: a {@code long} here holds the same 64 bits, times are
 * compared with {@link #compare} (unsigned), and increments wrap as Go's uint64 arithmetic does.
 */
final class LamportClock {

    private long counter;

    /** Orders two Lamport times as the uint64s they are on the wire. */
    static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    /**
     * Whether {@code ltime} is older than the last {@code window} times before {@code now}:
     * serf's "too old" test for events and queries, {@code now > window && ltime < now - window}.
     */
    static boolean outsideWindow(long ltime, long now, int window) {
        return compare(now, window) > 0 && compare(ltime, now - window) < 0;
    }

    long time() {
        return counter;
    }

    /** serf lamport.go:Increment; 2^64-1 wraps to 0. */
    long increment() {
        return ++counter;
    }

    /**
     * Moves past a time seen elsewhere, so our next stamp is later than it (serf
     * lamport.go:Witness: nothing if {@code v < counter}, else {@code counter = v + 1}, wrapping).
     */
    void witness(long v) {
        if (compare(v, counter) >= 0) {
            counter = v + 1;
        }
    }
}
