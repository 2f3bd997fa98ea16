package dev.gossip.core.membership;

import dev.gossip.core.time.Scheduler;
import java.util.HashSet;
import java.util.Set;

/**
 * Lifeguard's suspicion timer (§8.3): it starts at {@code max} and shrinks toward {@code min} as
 * independent members confirm the suspicion, so a node that many see as dead is declared dead
 * quickly while a lone accuser waits long enough for a refutation.
 */
final class Suspicion {

    private final Scheduler scheduler;
    private final int expectedConfirmations;
    private final long minNanos;
    private final long maxNanos;
    private final long startNanos;
    private final Runnable onTimeout;
    /** Who has accused the node so far: the first accuser and each confirmer count once. */
    private final Set<String> confirmers = new HashSet<>();
    private int confirmations;
    private Scheduler.Cancellable timer;
    /** Fired or cancelled: like Go's failed timer.Stop(), later confirmations never re-arm it. */
    private boolean done;

    Suspicion(Scheduler scheduler, String from, int expectedConfirmations, long minNanos,
              long maxNanos, Runnable onTimeout) {
        this.scheduler = scheduler;
        this.expectedConfirmations = expectedConfirmations;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.onTimeout = () -> {
            done = true;
            onTimeout.run();
        };
        this.startNanos = scheduler.nanoTime();
        confirmers.add(from);
        long timeout = expectedConfirmations < 1 ? minNanos : maxNanos;
        this.timer = scheduler.schedule(timeout, this.onTimeout);
    }

    /**
     * Counts a suspicion from {@code from}. Returns true if it was a new, useful confirmation
     * (then the caller re-gossips it) and shortens the timer.
     */
    boolean confirm(String from) {
        if (confirmations >= expectedConfirmations || !confirmers.add(from)) {
            return false;
        }
        confirmations++;
        if (done) {
            return true;
        }
        long elapsed = scheduler.nanoTime() - startNanos;
        long remaining = remainingNanos(confirmations, expectedConfirmations, elapsed, minNanos, maxNanos);
        timer.cancel();
        timer = scheduler.schedule(Math.max(0, remaining), onTimeout);
        return true;
    }

    void cancel() {
        done = true;
        timer.cancel();
    }

    /** Timeout left after {@code n} of {@code k} confirmations, floored at min (millisecond precision). */
    static long remainingNanos(int n, int k, long elapsedNanos, long minNanos, long maxNanos) {
        double frac = Math.log(n + 1.0) / Math.log(k + 1.0);
        double raw = maxNanos - frac * (maxNanos - minNanos);
        long timeout = (long) Math.floor(raw / 1_000_000.0) * 1_000_000L;
        if (timeout < minNanos) {
            timeout = minNanos;
        }
        return timeout - elapsedNanos;
    }

    /**
     * The minimum suspicion timeout: {@code SuspicionMult × max(1, log10(n)) × ProbeInterval},
     * with memberlist's 1/1000 precision on the scale.
     */
    static long minTimeoutNanos(int suspicionMult, int n, long probeIntervalNanos) {
        double nodeScale = Math.max(1.0, Math.log10(Math.max(1.0, n)));
        return suspicionMult * (long) (nodeScale * 1000) * probeIntervalNanos / 1000;
    }
}
