package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Force-leave (serf {@code force-leave}): a failed member is moved to left by every member, and
 * forgotten by every member with prune; an alive member refutes a force-leave about itself.
 */
class ForceLeaveSimulationTest {

    private static final int N = 30;

    @Test
    void aFailedMemberBecomesLeftEverywhereAndPruneForgetsIt() {
        SimCluster c = SimCluster.formed(7, Timings.lan(), N);
        SimNode victim = c.node(11);
        c.crash(victim);
        assertThat(c.runUntil(s -> s.allSee(victim.name, MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(60))).as("every live node declares %s failed", victim).isTrue();

        SimNode operator = c.node(3);
        long at = c.time.now();
        CompletableFuture<Void> done = operator.node.forceLeave(victim.name, false);
        assertThat(c.runUntil(s -> done.isDone() && s.allSee(victim.name, MemberStatus.LEFT), Duration.ofMillis(50),
                Duration.ofSeconds(10))).as("every live node sees %s left", victim).isTrue();
        assertThat(done).isCompleted();
        long slowest = c.live().stream().mapToLong(s -> s.firstAt("member-leave", victim.name) - at).max().orElseThrow();
        System.out.printf("[sim] force-leave of failed %s: left at all %d nodes after %s s%n", victim, c.live().size(),
                SimCluster.secs(slowest));
        // Eager gossip sends the intent at once (measured 0.04 s); at the next 200 ms rounds it
        // would take about 0.4 s.
        assertThat(slowest).isLessThan(Duration.ofMillis(100).toNanos());
        for (SimNode s : c.live()) {
            assertThat(s.count("member-leave", victim.name)).as("%s: member-leave events", s).isEqualTo(1);
        }
        c.runFor(Duration.ofSeconds(60)); // no reconnect or push/pull brings it back to failed
        assertThat(c.allSee(victim.name, MemberStatus.LEFT)).isTrue();

        SimNode pruned = c.node(12);
        c.crash(pruned);
        assertThat(c.runUntil(s -> s.allSee(pruned.name, MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(60))).isTrue();
        c.node(4).node.forceLeave(pruned.name, true);
        assertThat(c.runUntil(s -> s.live().stream().allMatch(n -> n.node.member(pruned.name).isEmpty()),
                Duration.ofMillis(50), Duration.ofSeconds(10))).as("every live node forgot %s", pruned).isTrue();
        c.runFor(Duration.ofSeconds(60)); // and push/pull does not bring it back
        assertThat(c.live()).allSatisfy(n -> assertThat(n.node.member(pruned.name)).as("%s knows %s", n, pruned).isEmpty());
        c.assertNoTaskFailures();
    }

    @Test
    void anAliveMemberRefutesAForceLeaveAboutItself() {
        SimCluster c = SimCluster.formed(8, Timings.lan(), N);
        SimNode target = c.node(5);
        c.node(9).node.forceLeave(target.name, false);
        c.runFor(Duration.ofSeconds(10));
        assertThat(c.allSee(target.name, MemberStatus.ALIVE)).as("everyone sees %s alive again", target).isTrue();
        assertThat(c.countEverywhere("member-failed")).isZero();
        c.assertNoTaskFailures();
    }
}
