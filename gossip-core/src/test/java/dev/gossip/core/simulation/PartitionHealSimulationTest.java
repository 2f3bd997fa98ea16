package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 24 nodes split into two halves: each half declares the other failed; once the network heals,
 * Serf's reconnect (a push/pull with a failed member) and gossip merge the halves again.
 */
class PartitionHealSimulationTest {

    private static boolean eachSideSeesOtherFailed(List<SimNode> a, List<SimNode> b) {
        for (SimNode x : a) {
            for (SimNode y : b) {
                if (x.statusOf(y.name) != MemberStatus.FAILED || y.statusOf(x.name) != MemberStatus.FAILED) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Splits the cluster into {@code a} and {@code b} until each declares the other failed, keeps
     * it split for at least {@code split} and at least {@code settle} after that (so the death
     * notices have been gossiped out before the heal), then heals and times the merge.
     */
    private static void partitionAndHeal(SimCluster c, List<SimNode> a, List<SimNode> b, Duration split,
                                         Duration settle, String label) {
        List<InetSocketAddress> sideA = a.stream().map(s -> s.address).toList();
        List<InetSocketAddress> sideB = b.stream().map(s -> s.address).toList();
        long splitAt = c.time.now();
        c.network.partition(sideA, sideB);
        assertThat(c.runUntil(s -> eachSideSeesOtherFailed(a, b), Duration.ofMillis(100), Duration.ofSeconds(90)))
                .as("%s: each half declares the other failed", label).isTrue();
        long detected = c.time.now() - splitAt;
        // Within each half, nobody was declared failed.
        assertThat(SimCluster.convergedAmong(a)).isTrue();
        assertThat(SimCluster.convergedAmong(b)).isTrue();
        c.time.runFor(Math.max(settle.toNanos(), splitAt + split.toNanos() - c.time.now()));

        long healAt = c.time.now();
        c.network.heal();
        Duration bound = c.timings.reconnectInterval().plus(c.timings.pushPullInterval()).plusSeconds(10);
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), bound.plusSeconds(60)))
                .as("%s: the halves merge after the heal", label).isTrue();
        long healed = c.time.now() - healAt;
        System.out.printf("[sim] partition %s (%d|%d nodes, split for %s s): each half saw the other failed after"
                        + " %s s; after the heal all %d see all alive in %s s (bound %d s)%n", label, a.size(),
                b.size(), SimCluster.secs(healAt - splitAt), SimCluster.secs(detected), c.live().size(),
                SimCluster.secs(healed), bound.toSeconds());
        assertThat(healed).as("%s: time to heal", label).isLessThan(bound.toNanos());
    }

    @Test
    void halvesDeclareEachOtherFailedAndMergeAfterHeal() {
        int n = 24;
        SimCluster c = new SimCluster(24, Timings.lan());
        c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        c.runFor(Duration.ofSeconds(5));
        List<SimNode> all = c.live();
        List<SimNode> a = all.subList(0, n / 2);
        List<SimNode> b = all.subList(n / 2, n);

        // Long split: the failed members have been dropped from memberlist (GossipToTheDeadTime),
        // only Serf remembers them; reconnect must bring them back.
        partitionAndHeal(c, a, b, Duration.ofSeconds(90), Duration.ZERO, "long");
        c.runFor(Duration.ofSeconds(30));
        // Short split, healed 5 s after the deaths were declared: the dead entries are still in
        // memberlist, so the halves must refute their own deaths (higher incarnations) to be
        // believed again. (Healing while the death notices are still being gossiped lets them
        // cross over and briefly fail members on their own side too, as in memberlist.)
        List<SimNode> odd = all.stream().filter(s -> s.index % 2 == 1).toList();
        List<SimNode> even = all.stream().filter(s -> s.index % 2 == 0).toList();
        partitionAndHeal(c, odd, even, Duration.ZERO, Duration.ofSeconds(5), "short");

        // Exactly one member-failed per (observer, member of the other half) and split: no flaps.
        for (SimNode x : all) {
            for (SimNode y : all) {
                long expected = ((x.index < n / 2) != (y.index < n / 2) ? 1 : 0) + (x.index % 2 != y.index % 2 ? 1 : 0);
                assertThat(x.count("member-failed", y.name)).as("%s: member-failed about %s", x, y).isEqualTo(expected);
            }
        }
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
