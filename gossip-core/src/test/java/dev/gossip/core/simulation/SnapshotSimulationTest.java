package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node restarted with its snapshot (serf {@code -snapshot}): its seed is gone, yet it finds its
 * old members again from the file, and the user event it delivered before the restart, which the
 * join's push/pull hands it again, is not delivered twice.
 */
class SnapshotSimulationTest {

    @TempDir
    Path dir;

    private static long memberTime(SimCluster c, SimNode n) {
        var stats = n.node.serfStats();
        c.runFor(Duration.ofMillis(10));
        return Long.parseLong(stats.join().get("member_time"));
    }

    @Test
    void aRestartedNodeRejoinsItsOldMembersAndIgnoresTheEventItAlreadyDelivered() throws Exception {
        SimCluster c = new SimCluster(57, Timings.lan());
        c.formCluster(3, Duration.ofMillis(100), Duration.ofSeconds(30));
        Path snapshot = dir.resolve("node-3.snapshot");
        c.configure = b -> b.snapshotPath(snapshot);
        SimNode d = c.add(3);
        d.node.joinAsync(List.of(SimCluster.seedOf(0)));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();

        c.node(0).node.sendUserEvent("deploy", "v1".getBytes(StandardCharsets.UTF_8), false);
        assertThat(c.runUntil(s -> d.count("user", "deploy") == 1, Duration.ofMillis(100), Duration.ofSeconds(10)))
                .as("node-3 delivers the event before its restart").isTrue();
        c.runFor(Duration.ofSeconds(2));
        long clockBefore = memberTime(c, d);
        d.node.shutdown(); // writes out what is buffered; peers will call it failed
        assertThat(c.runUntil(s -> s.live().stream().allMatch(o -> o.statusOf("node-3") == MemberStatus.FAILED),
                Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        assertThat(Files.readAllLines(snapshot)).contains("alive: node-0 " + SimCluster.seedOf(0), "event-clock: 1");

        // Back with a seed nobody answers at: only the snapshot can bring it home.
        c.configure = b -> b.snapshotPath(snapshot).seeds(List.of("10.0.9.9:7946"));
        long restartedAt = c.time.now();
        SimNode d2 = c.restart(d);
        assertThat(c.runUntil(s -> s.allSee("node-3", MemberStatus.ALIVE) && s.live().stream()
                        .allMatch(o -> d2.statusOf(o.name) == MemberStatus.ALIVE),
                Duration.ofMillis(100), Duration.ofSeconds(10))).as("node-3 rejoined from its snapshot").isTrue();
        long took = c.time.now() - restartedAt;
        c.runFor(Duration.ofSeconds(35)); // periodic push/pulls (every 30 s) offer the old event again
        assertThat(d2.count("user", "deploy")).as("the event delivered before the restart, again").isZero();
        long clockAfter = memberTime(c, d2);
        assertThat(clockAfter).as("the member clock goes on").isGreaterThan(clockBefore);

        c.node(1).node.sendUserEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);
        assertThat(c.runUntil(s -> d2.count("user", "deploy") == 1, Duration.ofMillis(100), Duration.ofSeconds(10)))
                .as("a new event is delivered").isTrue();
        c.assertNoTaskFailures();
        System.out.printf("[sim] snapshot rejoin: node-3 alive everywhere %s s after its restart%n", SimCluster.secs(took));
        assertThat(took).as("one push/pull join, measured 0.20 s").isLessThan(Duration.ofMillis(500).toNanos());
    }

    /** Node-3 joins, leaves gracefully, and starts again from its snapshot without seeds; returns it. */
    private SimNode restartedAfterLeave(SimCluster c, boolean rejoinAfterLeave) throws Exception {
        c.formCluster(3, Duration.ofMillis(100), Duration.ofSeconds(30));
        Path snapshot = dir.resolve("left-" + rejoinAfterLeave + ".snapshot");
        c.configure = b -> b.snapshotPath(snapshot).rejoinAfterLeave(rejoinAfterLeave);
        SimNode d = c.add(3);
        d.node.joinAsync(List.of(SimCluster.seedOf(0)));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        boolean[] left = {false};
        d.node.leave().thenRun(() -> left[0] = true);
        assertThat(c.runUntil(s -> left[0] && s.allSee("node-3", MemberStatus.LEFT), Duration.ofMillis(100),
                Duration.ofSeconds(30))).isTrue();
        d.node.shutdown();
        assertThat(Files.readAllLines(snapshot)).contains("leave");
        SimNode d2 = c.restart(d);
        c.runFor(Duration.ofSeconds(5));
        return d2;
    }

    @Test
    void afterAGracefulLeaveTheSnapshotRejoinsNobody() throws Exception {
        SimCluster c = new SimCluster(58, Timings.lan());
        SimNode d2 = restartedAfterLeave(c, false);
        assertThat(d2.node.members()).as("alone: a node that left on purpose starts afresh").hasSize(1);
        assertThat(c.node(0).statusOf("node-3")).isEqualTo(MemberStatus.LEFT);
    }

    @Test
    void withRejoinAfterLeaveTheSnapshotRejoinsEvenAfterALeave() throws Exception {
        SimCluster c = new SimCluster(58, Timings.lan());
        SimNode d2 = restartedAfterLeave(c, true);
        assertThat(c.live().stream().allMatch(o -> o.statusOf("node-3") == MemberStatus.ALIVE
                && d2.statusOf(o.name) == MemberStatus.ALIVE)).as("node-3 back in every view").isTrue();
        c.assertNoTaskFailures();
    }
}
