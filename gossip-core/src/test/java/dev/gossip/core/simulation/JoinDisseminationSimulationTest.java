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
 * How fast a join spreads through a big cluster: 1000 converged nodes (LAN timings), then one
 * more node joins through a single seed and we time how long until every node lists it alive.
 */
class JoinDisseminationSimulationTest {

    @Test
    void joinReachesEveryOneOf1000Nodes() {
        int n = 1000;
        long wallStart = System.nanoTime();
        SimCluster c = new SimCluster(1000, Timings.lan());
        // Staggered joins to random earlier nodes (one every 5 ms, the last at 5 s), then run
        // until every view is complete. Gossip alone would drain N² × retransmits messages (32 s
        // virtual); the storm's push/pulls move whole states instead (StormSimulationTest).
        c.formCluster(n, Duration.ofMillis(5), Duration.ofSeconds(120));
        double formedAt = c.seconds();
        System.out.printf("[sim] %d nodes converged at %.1f s virtual (%.1f s wall)%n", n, formedAt,
                (System.nanoTime() - wallStart) / 1e9);
        assertThat(formedAt).as("s until every view was complete (measured 8.0)").isLessThan(12.0);

        // The formation's gossip is still draining (each of ~N² alives is sent up to 16 times);
        // the new node's alive, never sent yet, goes first in every packet regardless.
        double avgQueue = c.live().stream().mapToInt(s -> s.node.queueDepth()).average().orElse(0);
        System.out.printf("[sim] broadcast queues at the join: %.0f messages per node on average%n", avgQueue);
        SimNode joiner = c.add(n);
        String name = joiner.name;
        long t0 = c.time.now();
        joiner.node.joinAsync(List.of(SimCluster.seedOf(123)));
        List<SimNode> old = c.live().stream().filter(s -> s != joiner).toList();
        boolean reached = c.runUntil(s -> old.stream().allMatch(o -> o.statusOf(name) == MemberStatus.ALIVE),
                Duration.ofMillis(100), Duration.ofSeconds(60));

        List<Long> delays = new ArrayList<>();
        for (SimNode o : old) {
            long at = o.firstAt("member-join", name);
            if (at >= 0) {
                delays.add(at - t0);
            }
        }
        Collections.sort(delays);
        System.out.printf("[sim] join reached 100%% of %d nodes in %s s (virtual); 50%% %s s, 90%% %s s,"
                        + " 99%% %s s (%d nodes reached)%n", n, SimCluster.secs(SimCluster.percentile(delays, 100)),
                SimCluster.secs(SimCluster.percentile(delays, 50)), SimCluster.secs(SimCluster.percentile(delays, 90)),
                SimCluster.secs(SimCluster.percentile(delays, 99)), delays.size());
        System.out.printf("[sim] N=1000 join test: %.1f s wall, network %s%n", (System.nanoTime() - wallStart) / 1e9,
                c.network.stats());

        assertThat(reached).as("every one of the %d nodes lists %s alive", n, name).isTrue();
        assertThat(delays).hasSize(n);
        assertThat(SimCluster.percentile(delays, 100)).as("time to reach 100%%").isLessThan(Duration.ofSeconds(30).toNanos());
        // And the joiner got the whole cluster from its one seed.
        assertThat(old.stream().allMatch(o -> joiner.statusOf(o.name) == MemberStatus.ALIVE)).isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
