package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Ping;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stranger who pings a node in a loop gets acks, but not the node's gossip: otherwise its acks
 * would carry every transmission of what the node broadcasts and the members would never hear it.
 */
class PiggybackSimulationTest {

    @Test
    void aStrangerPingingInALoopDoesNotDrainTheBroadcastsMembersShouldGet() {
        SimCluster c = new SimCluster(5150, Timings.lan());
        List<SimNode> nodes = c.formCluster(4, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode sender = nodes.get(0);
        InetSocketAddress stranger = SimCluster.address(99);
        int[] acks = {0};
        Transport t = c.outsider(stranger, message -> null, packet -> acks[0]++);
        // Between two gossip rounds (200 ms), the stranger's pings come in faster than gossip leaves.
        sender.node.sendUserEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);
        for (int i = 0; i < 50; i++) {
            t.sendPacket(sender.address, new Ping(i, sender.name, stranger.getAddress().getAddress(),
                    stranger.getPort(), "stranger").encode());
        }

        c.runFor(Duration.ofSeconds(3));

        assertThat(acks[0]).as("the stranger's pings were answered").isEqualTo(50);
        for (SimNode n : nodes.subList(1, nodes.size())) {
            assertThat(n.count("user", "deploy")).as("%s heard the event by gossip", n).isEqualTo(1);
        }
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
