package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.sim.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lifeguard's suspicion timer (§8.3), after memberlist's suspicion_test.go and util_test.go, run
 * in virtual time so every firing time is exact instead of within a sleep's fudge.
 */
class SuspicionTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final VirtualTime time = new VirtualTime();
    /** Virtual times at which the timer fired. */
    private final List<Long> fired = new ArrayList<>();

    private Suspicion suspicion(String from, int k, long min, long max) {
        return new Suspicion(time.newScheduler(), from, k, min, max, () -> fired.add(time.now()));
    }

    /**
     * TestSuspicion_remainingSuspicionTime's table: n confirmations of k, elapsed, min, max →
     * remaining. Worked from the formula {@code max − ln(n+1)/ln(k+1) × (max − min)}, floored to
     * the millisecond, at least min, minus elapsed; each result equals Go's table value.
     */
    @Test
    void remainingTimeFollowsMemberlistsTable() {
        long min = 2 * S;
        long max = 30 * S;
        // n=0: frac 0 → 30 s.
        assertThat(Suspicion.remainingNanos(0, 3, 0, min, max)).isEqualTo(30 * S);
        // n=1: ln2/ln4 = 0.5 → 30 − 14 = 16 s, minus 2 s elapsed.
        assertThat(Suspicion.remainingNanos(1, 3, 2 * S, min, max)).isEqualTo(14 * S);
        // n=2: ln3/ln4 = 0.792481 → 30 − 22.1895 = 7.8105 s → 7810 ms, minus 3 s.
        assertThat(Suspicion.remainingNanos(2, 3, 3 * S, min, max)).isEqualTo(4810 * MS);
        // n=k: frac 1 → min = 2 s, minus 4 s.
        assertThat(Suspicion.remainingNanos(3, 3, 4 * S, min, max)).isEqualTo(-2 * S);
        // n>k: 30 − 1.161 × 28 < min, so min, minus 5 s and 10 s.
        assertThat(Suspicion.remainingNanos(4, 3, 5 * S, min, max)).isEqualTo(-3 * S);
        assertThat(Suspicion.remainingNanos(5, 3, 10 * S, min, max)).isEqualTo(-8 * S);
    }

    /**
     * TestSuspicion_Timer: k=3, min 500 ms, max 2 s, one confirmation every 25 ms. Go's table says
     * 810 ms for two confirmations within its ±25 ms fudge; the formula gives
     * 2 − 0.792481 × 1.5 = 0.811278 s, floored to 811 ms, which virtual time hits exactly.
     */
    @Test
    void confirmationsShortenTheTimerAsMemberlistsTimerTable() {
        timerCase(List.of(), List.of(), 2000 * MS);
        timerCase(List.of("me", "foo"), List.of(false, true), 1250 * MS);
        timerCase(List.of("me", "foo", "foo", "foo"), List.of(false, true, false, false), 1250 * MS);
        timerCase(List.of("me", "foo", "bar"), List.of(false, true, true), 811 * MS);
        timerCase(List.of("me", "foo", "bar", "baz"), List.of(false, true, true, true), 500 * MS);
        // A confirmation beyond k is no news and does not move the timer.
        timerCase(List.of("me", "foo", "bar", "baz", "zoo"), List.of(false, true, true, true, false), 500 * MS);
    }

    private void timerCase(List<String> confirmers, List<Boolean> newInfo, long expected) {
        fired.clear();
        long start = time.now();
        Suspicion s = suspicion("me", 3, 500 * MS, 2 * S);
        for (int i = 0; i < confirmers.size(); i++) {
            time.runFor(25 * MS);
            assertThat(s.confirm(confirmers.get(i))).as("confirm %s", confirmers.get(i))
                    .isEqualTo(newInfo.get(i));
        }
        time.runFor(start + expected - 1 - time.now());
        assertThat(fired).as("fired before %d ms", expected / MS).isEmpty();
        time.runFor(1);
        assertThat(fired).containsExactly(start + expected);

        // Go: a late confirmation after the timer fired must not fire it again.
        s.confirm("late");
        time.runFor(expected + S);
        assertThat(fired).hasSize(1);
    }

    @Test
    void theAccuserAndARepeatedConfirmerCountOnce() {
        Suspicion s = suspicion("me", 3, 500 * MS, 2 * S);
        assertThat(s.confirm("me")).isFalse();
        assertThat(s.confirm("foo")).isTrue();
        assertThat(s.confirm("foo")).isFalse();
        assertThat(s.confirm("me")).isFalse();
        time.runFor(2 * S);
        // One confirmation: 2 − 0.5 × 1.5 = 1.25 s, as if foo had confirmed only once.
        assertThat(fired).containsExactly(1250 * MS);
    }

    /** TestSuspicion_Timer_ZeroK: nothing to confirm, so the timer starts at min. */
    @Test
    void withNoConfirmationsExpectedTheTimerFiresAtMin() {
        Suspicion s = suspicion("me", 0, 25 * MS, 30 * S);
        assertThat(s.confirm("foo")).isFalse();
        time.runFor(30 * S);
        assertThat(fired).containsExactly(25 * MS);
    }

    /** TestSuspicion_Timer_Immediate: a confirmation after min has already passed fires at once. */
    @Test
    void aConfirmationPastTheNewTimeoutFiresAtOnce() {
        Suspicion s = suspicion("me", 1, 100 * MS, 30 * S);
        time.runFor(200 * MS);
        assertThat(s.confirm("foo")).isTrue();
        time.runFor(0);
        assertThat(fired).containsExactly(200 * MS);
    }

    @Test
    void aCancelledTimerStaysCancelledWhateverConfirmsLater() {
        Suspicion s = suspicion("me", 3, 500 * MS, 2 * S);
        s.cancel();
        s.confirm("foo");
        time.runFor(3 * S);
        assertThat(fired).isEmpty();
    }

    /** TestSuspicionTimeout: suspicionTimeout(3, n, 1 s) / 3, the log10 node scale to 1/1000. */
    @Test
    void theMinimumScalesWithLog10OfTheClusterSize() {
        long[][] table = {{5, 1000}, {10, 1000}, {50, 1698}, {100, 2000}, {500, 2698}, {1000, 3000}};
        for (long[] row : table) {
            assertThat(Suspicion.minTimeoutNanos(3, (int) row[0], S) / 3).as("n=%d", row[0])
                    .isEqualTo(row[1] * MS);
        }
        // §8.3: LAN (SuspicionMult 4, 1 s probes) gives 4 s up to 10 nodes and 8 s at 100.
        assertThat(Suspicion.minTimeoutNanos(4, 1, S)).isEqualTo(4 * S);
        assertThat(Suspicion.minTimeoutNanos(4, 100, S)).isEqualTo(8 * S);
    }
}
