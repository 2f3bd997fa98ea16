package dev.gossip.core.membership;

/**
 * Lifeguard's local health score: how well this node keeps the soft real-time deadlines that
 * failure detection needs. A high score means "I am slow or starved", so we wait longer before
 * blaming others (§8.4).
 */
final class Awareness {

    /** Upper bound (exclusive) of the score: AwarenessMaxMultiplier. */
    private final int max;
    /** Written on the node's thread; volatile so the health gauge may read it from any thread. */
    private volatile int score;

    Awareness(int max) {
        this.max = max;
    }

    void applyDelta(int delta) {
        score = Math.max(0, Math.min(max - 1, score + delta));
    }

    int score() {
        return score;
    }

    /** Scales a timeout by the score: {@code timeout × (score + 1)}. */
    long scale(long timeoutNanos) {
        return timeoutNanos * (score + 1);
    }
}
