package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 100 nodes, LAN timings: a crashed node is declared failed by every live node (and nobody
 * else is), then a node that leaves gracefully is seen as left, never as failed.
 */
class CrashAndLeaveSimulationTest {

    @Test
    void crashIsDetectedEverywhereAndLeaveIsSeenAsLeft() {
        int n = 100;
        SimCluster c = new SimCluster(100, Timings.lan());
        c.formCluster(n, Duration.ofMillis(50), Duration.ofSeconds(60));
        c.runFor(Duration.ofSeconds(10)); // let the formation gossip settle
        System.out.printf("[sim] %d nodes converged; crash at %.1f s%n", n, c.seconds());

        // ---- crash ----
        SimNode victim = c.node(42);
        long crashAt = c.time.now();
        c.crash(victim);
        assertThat(c.runUntil(s -> s.allSee(victim.name, MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(90))).as("every live node declares %s failed", victim).isTrue();
        List<Long> detect = new ArrayList<>();
        for (SimNode s : c.live()) {
            assertThat(s.count("member-failed", victim.name)).as("%s: member-failed events for %s", s, victim)
                    .isEqualTo(1);
            detect.add(s.firstAt("member-failed", victim.name) - crashAt);
        }
        Collections.sort(detect);
        System.out.printf("[sim] crash of %s: first node declared it failed after %s s, all %d after %s s"
                        + " (median %s s)%n", victim, SimCluster.secs(detect.get(0)), detect.size(),
                SimCluster.secs(detect.get(detect.size() - 1)), SimCluster.secs(SimCluster.percentile(detect, 50)));
        // Lifeguard's suspicion timeout at n=100 is 8..48 s; with many confirmations it ends near 8 s.
        assertThat(detect.get(detect.size() - 1)).isLessThan(Duration.ofSeconds(60).toNanos());
        // Nobody else was declared failed.
        assertThat(c.countEverywhere("member-failed")).isEqualTo(n - 1);

        // ---- graceful leave ----
        SimNode leaver = c.node(17);
        long leaveAt = c.time.now();
        boolean[] leaveDone = {false};
        leaver.node.leave().thenRun(() -> leaveDone[0] = true);
        assertThat(c.runUntil(s -> leaveDone[0] && s.allSee(leaver.name, MemberStatus.LEFT), Duration.ofMillis(100),
                Duration.ofSeconds(30))).as("every live node sees %s left", leaver).isTrue();
        long leftAll = 0;
        long leftFirst = Long.MAX_VALUE;
        for (SimNode s : c.live()) {
            if (s == leaver) {
                continue;
            }
            long at = s.firstAt("member-leave", leaver.name) - leaveAt;
            leftAll = Math.max(leftAll, at);
            leftFirst = Math.min(leftFirst, at);
        }
        leaver.node.shutdown();
        c.runFor(Duration.ofSeconds(60)); // long after: still left, never failed
        System.out.printf("[sim] leave of %s: first node saw it left after %s s, all %d after %s s;"
                        + " leave() completed; network %s%n", leaver, SimCluster.secs(leftFirst), c.live().size(),
                SimCluster.secs(leftAll), c.network.stats());

        assertThat(c.allSee(leaver.name, MemberStatus.LEFT)).isTrue();
        assertThat(c.countEverywhere("member-failed", leaver.name)).as("member-failed about the leaver").isZero();
        for (SimNode s : c.live()) {
            assertThat(s.count("member-leave", leaver.name)).as("%s: member-leave events", s).isEqualTo(1);
        }
        assertThat(c.allSee(victim.name, MemberStatus.FAILED)).isTrue();
        assertThat(c.convergedAmong(c.live())).isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
