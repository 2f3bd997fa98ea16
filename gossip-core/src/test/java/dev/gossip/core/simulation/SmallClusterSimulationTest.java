package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmallClusterSimulationTest {

    @Test
    void fiveNodesConvergeThenOneCrashesAndOneLeaves() {
        SimCluster c = new SimCluster(42, Timings.lan());
        c.startCluster(5, Duration.ofMillis(100));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30)))
                .as("5 nodes converge").isTrue();
        System.out.printf("converged at %.2f s%n", c.seconds());

        c.crash(c.node("node-3"));
        assertThat(c.runUntil(s -> s.allSee("node-3", MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(60))).as("crash detected").isTrue();
        System.out.printf("failed at %.2f s%n", c.seconds());

        c.node("node-1").node.leave();
        assertThat(c.runUntil(s -> s.allSee("node-1", MemberStatus.LEFT), Duration.ofMillis(100),
                Duration.ofSeconds(30))).as("leave seen as left").isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
