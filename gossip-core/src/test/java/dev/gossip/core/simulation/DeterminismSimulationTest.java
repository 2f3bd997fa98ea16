package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.Link;
import dev.gossip.core.sim.NetworkStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulation is a pure function of its seed: the same seed replays exactly the same run
 * (every event on every node, every counter), a different seed gives a different run.
 */
class DeterminismSimulationTest {

    /** What one run produced: its fingerprint and a few figures to print. */
    private record Trace(String hash, NetworkStats stats, long tasks, long events) {}

    /** A fixed scenario with some of everything: joins, loss, a crash, a leave, an event, a tag change. */
    private static Trace run(long seed) {
        SimCluster c = new SimCluster(seed, Timings.lan(), Link.lossy(0.02));
        c.formCluster(16, Duration.ofMillis(100), Duration.ofSeconds(60));
        c.node(3).node.sendUserEvent("deploy", "v42".getBytes(StandardCharsets.UTF_8), false);
        c.node(2).node.setTags(Map.of("role", "db"));
        c.runFor(Duration.ofSeconds(2));
        c.crash(c.node(5));
        c.node(7).node.leave();
        assertThat(c.runUntil(s -> s.allSee("node-5", MemberStatus.FAILED) && s.allSee("node-7", MemberStatus.LEFT),
                Duration.ofMillis(500), Duration.ofSeconds(60))).as("crash and leave seen everywhere").isTrue();
        c.runFor(Duration.ofSeconds(10));
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
        long events = c.nodes.values().stream().mapToLong(n -> n.events.size()).sum();
        return new Trace(c.traceHash(), c.network.stats(), c.time.tasksRun(), events);
    }

    @Test
    void sameSeedSameTraceDifferentSeedDifferentTrace() {
        Trace a = run(7);
        Trace b = run(7);
        Trace other = run(8);
        System.out.printf("[sim] determinism: seed 7 -> %s (%d tasks, %d events, %d packets, %d lost);"
                        + " again -> %s; seed 8 -> %s (%d tasks, %d packets)%n",
                a.hash.substring(0, 16), a.tasks, a.events, a.stats.packetsSent(), a.stats.packetsDroppedLoss(),
                b.hash.substring(0, 16), other.hash.substring(0, 16), other.tasks, other.stats.packetsSent());
        assertThat(b).isEqualTo(a);
        assertThat(other.hash).isNotEqualTo(a.hash);
        assertThat(other.stats).isNotEqualTo(a.stats);
    }
}
