package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GossipNode.internalSizes() names every map and queue and follows what the node holds. */
class InternalSizesSimulationTest {

    @Test
    void sizesFollowTheMembersANodeHoldsAndForgets() {
        SimCluster c = SimCluster.formed(31, Timings.lan(), 4);
        SimNode observer = c.node(0);
        Map<String, Integer> sizes = observer.node.internalSizes();
        assertThat(sizes.keySet()).startsWith("memberlist.nodes").contains("memberlist.broadcasts",
                "memberlist.suspicions", "memberlist.ackHandlers", "memberlist.handoff", "serf.members",
                "serf.recentIntents", "serf.intentBroadcasts", "serf.eventBroadcasts", "serf.queryBroadcasts",
                "serf.eventBuffer", "serf.queryBuffer", "serf.pendingQueries");
        assertThat(sizes).containsEntry("memberlist.nodes", 4).containsEntry("serf.members", 4)
                .containsEntry("serf.failedMembers", 0);

        c.crash(c.node(3));
        assertThat(c.runUntil(s -> s.allSee("node-3", MemberStatus.FAILED), Duration.ofSeconds(1),
                Duration.ofMinutes(1))).isTrue();
        assertThat(observer.node.internalSizes()).containsEntry("serf.failedMembers", 1)
                .containsEntry("serf.members", 4);

        // memberlist forgets the dead node after GossipToTheDeadTime; Serf remembers it for a day.
        c.runFor(Duration.ofMinutes(2));
        assertThat(observer.node.internalSizes()).containsEntry("memberlist.nodes", 3)
                .containsEntry("memberlist.probeOrder", 3).containsEntry("serf.members", 4);
        c.assertNoTaskFailures();
    }
}
