package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.Member;
import dev.gossip.core.Timings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's new tags reach its own member view (and listeners), not only the other nodes. */
class LocalTagsSimulationTest {

    @Test
    void setTagsUpdatesTheLocalMemberAndNotifiesLocalListeners() {
        SimCluster c = new SimCluster(7, Timings.lan());
        c.startCluster(3, Duration.ofMillis(100));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        SimCluster.SimNode n0 = c.node("node-0");
        n0.events.clear();

        Map<String, String> tags = Map.of("role", "web", "port", "8080");
        n0.node.setTags(tags);
        assertThat(c.runUntil(s -> s.live().stream().allMatch(n -> n.view("node-0").map(Member::tags)
                .filter(tags::equals).isPresent()), Duration.ofMillis(50), Duration.ofSeconds(10)))
                .as("every node, node-0 included, sees node-0's new tags").isTrue();
        assertThat(n0.node.localMember().orElseThrow().tags()).isEqualTo(tags);
        assertThat(n0.events).as("member-update for itself on node-0").anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(GossipEvent.MemberEventType.UPDATE.serfName());
            assertThat(e.subject()).isEqualTo("node-0");
        });
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
