package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Alive;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stranger invents members in an unencrypted cluster: the member list stops at maxMembers
 * (memberlist's and Serf's grow without bound), the rest is counted, and failed inventions make
 * room again without piling up in Serf's 24-hour memory of failed members.
 */
class MemberLimitSimulationTest {

    private static final int LIMIT = 40;
    private static final byte[] VSN = {1, 5, 2, 2, 5, 5};

    @Test
    void inventedMembersStopAtTheLimitAndFailedOnesMakeRoomWithoutPilingUp() {
        SimCluster c = new SimCluster(6061, Timings.lan().toBuilder().maxMembers(LIMIT).build());
        List<SimNode> nodes = c.formCluster(3, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode victim = nodes.get(0);
        InetSocketAddress ghosts = SimCluster.address(99);
        Transport stranger = c.outsider(ghosts, message -> null); // swallows its ghosts' probes: they fail
        List<Integer> sizes = new ArrayList<>();
        victim.node.addListener(e -> sizes.add(victim.node.members().size()));

        for (int i = 0; i < 200; i++) {
            stranger.sendPacket(victim.address, alive("ghost-" + i, ghosts));
        }
        c.runFor(Duration.ofSeconds(1));
        assertThat(victim.node.members()).as("members after 200 invented").hasSize(LIMIT);
        assertThat(victim.node.stats().drops(DropReason.MEMBER_LIMIT)).isEqualTo(200 - (LIMIT - 3));

        // The ghosts never answer: they fail, memberlist forgets them after GossipToTheDeadTime,
        // new names fit again, and Serf reaps its oldest failed members early to take them.
        for (int round = 1; round <= 4; round++) {
            c.runFor(Duration.ofMinutes(3));
            for (int i = 0; i < 200; i++) {
                stranger.sendPacket(victim.address, alive("ghost-" + round + "-" + i, ghosts));
            }
        }
        c.runFor(Duration.ofSeconds(5));

        assertThat(sizes).as("members the victim held at each event").allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LIMIT));
        assertThat(victim.node.members().stream().filter(m -> m.name().startsWith("ghost-4-")))
                .as("the latest inventions were admitted once room was made").isNotEmpty();
        for (SimNode n : nodes) {
            for (SimNode other : nodes) {
                assertThat(n.statusOf(other.name)).as("%s sees %s", n, other).isEqualTo(MemberStatus.ALIVE);
            }
        }
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    private static byte[] alive(String name, InetSocketAddress at) {
        return new Alive(1, name, at.getAddress().getAddress(), at.getPort(), new byte[0], VSN).encode();
    }
}
