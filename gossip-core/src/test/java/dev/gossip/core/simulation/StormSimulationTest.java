package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Timings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A mass join with and without storm push/pulls (Timings.stormQueueDepth), same seed, same
 * joins: with them the whole cluster knows itself several times sooner and with a fraction of
 * the packets; a single join into a formed cluster never starts one. {@code -Dstorm.n=2000} runs
 * the comparison at another size (minutes of wall time: push/pulls of 2000 members are heavy
 * for one simulating JVM).
 */
class StormSimulationTest {

    private static final int N = Integer.getInteger("storm.n", 400);

    private record Run(double formedSeconds, long packets, long stormPushPulls, long dropped) {}

    private static Run form(int stormQueueDepth) {
        SimCluster c = new SimCluster(N, Timings.lan().toBuilder().stormQueueDepth(stormQueueDepth).build());
        c.recordEvents = false;
        c.formCluster(N, Duration.ofMillis(5), Duration.ofSeconds(120));
        c.assertNoTaskFailures();
        return new Run(c.seconds(), c.network.stats().packetsSent(), messages(c, "push-pull-storm"),
                messages(c, "broadcast-known"));
    }

    private static long messages(SimCluster c, String kind) {
        return c.live().stream().mapToLong(s -> s.node.stats().messages().getOrDefault(kind, 0L)).sum();
    }

    @Test
    void aMassJoinConvergesSeveralTimesSoonerWithStormPushPulls() {
        Run storm = form(64);
        Run plain = form(0);
        System.out.printf("%d nodes joining 5 ms apart, formed (every view complete) at:%n"
                        + "  with storm push/pulls: %.1f s virtual, %d packets, %d push/pulls, %d queued alives dropped%n"
                        + "  without (memberlist):  %.1f s virtual, %d packets%n", N, storm.formedSeconds, storm.packets,
                storm.stormPushPulls, storm.dropped, plain.formedSeconds, plain.packets);
        // The joins alone take 2 s; measured at N = 400: 4.0 s with storms, 15.0 s without.
        if (N == 400) {
            assertThat(storm.formedSeconds).isLessThanOrEqualTo(6.0);
        }
        assertThat(storm.formedSeconds).isLessThan(plain.formedSeconds / 2);
        assertThat(storm.packets).isLessThan(plain.packets / 2);
        assertThat(storm.stormPushPulls).isPositive();
        assertThat(plain.stormPushPulls).isZero();
    }

    @Test
    void aJoinIntoAFormedClusterStartsNoStorm() {
        SimCluster c = new SimCluster(401, Timings.lan());
        c.recordEvents = false;
        c.formCluster(200, Duration.ofMillis(5), Duration.ofSeconds(60));
        assertThat(messages(c, "push-pull-storm")).as("the formation was a storm").isPositive();
        c.runFor(Duration.ofSeconds(30)); // the formation's queues drain
        long before = messages(c, "push-pull-storm");
        SimCluster.SimNode joiner = c.add(200);
        joiner.node.joinAsync(java.util.List.of(SimCluster.seedOf(3)));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        c.runFor(Duration.ofSeconds(10));
        assertThat(messages(c, "push-pull-storm")).isEqualTo(before);
        c.assertNoTaskFailures();
    }
}
