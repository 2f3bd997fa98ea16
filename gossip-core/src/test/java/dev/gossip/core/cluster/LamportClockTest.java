package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Serf's LamportTime is a uint64; every expectation follows serf lamport.go in uint64 arithmetic. */
class LamportClockTest {

    private static final long TWO_TO_63 = Long.MIN_VALUE;      // 2^63 as the same 64 bits
    private static final long TWO_TO_64_MINUS_1 = -1L;         // 2^64-1

    private static LamportClock clockAt(long t) {
        LamportClock c = new LamportClock();
        c.witness(t - 1);
        return c;
    }

    @Test
    void witnessOf2To63MovesPastIt() {
        LamportClock c = clockAt(5);
        c.witness(TWO_TO_63); // lamport.go:Witness: 2^63 >= 5, so counter = 2^63 + 1
        assertThat(Long.toUnsignedString(c.time())).isEqualTo("9223372036854775809");
    }

    @Test
    void witnessOf2To64Minus1WrapsToZero() {
        LamportClock c = clockAt(5);
        c.witness(TWO_TO_64_MINUS_1); // lamport.go:Witness: counter = other + 1, a uint64 that wraps
        assertThat(c.time()).isZero();
    }

    @Test
    void witnessOfMaxSignedDoesNotLetSmallTimesPullTheClockBack() {
        LamportClock c = clockAt(5);
        c.witness(Long.MAX_VALUE); // counter = 2^63
        c.witness(10);             // lamport.go:Witness: 10 < 2^63 as uint64, so nothing changes
        assertThat(Long.toUnsignedString(c.time())).isEqualTo("9223372036854775808");
    }

    @Test
    void incrementWrapsAfter2To64Minus1() {
        LamportClock c = clockAt(TWO_TO_64_MINUS_1);
        assertThat(c.increment()).isZero(); // lamport.go:Increment: atomic Add(1) on a uint64
    }

    @Test
    void timesAtOrAbove2To63AreLaterThanSmallOnes() {
        assertThat(LamportClock.compare(TWO_TO_63, 7)).isPositive();
        assertThat(LamportClock.compare(TWO_TO_64_MINUS_1, TWO_TO_63)).isPositive();
        // serf.go:handleUserEvent "too old": now > len && ltime < now - len
        assertThat(LamportClock.outsideWindow(7, TWO_TO_63 + 100, 512)).isTrue();
        assertThat(LamportClock.outsideWindow(TWO_TO_63 + 10, TWO_TO_63 + 100, 512)).isFalse();
        assertThat(LamportClock.outsideWindow(3, 100, 512)).isFalse();
    }
}
