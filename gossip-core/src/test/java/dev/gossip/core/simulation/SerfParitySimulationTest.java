package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.QueryParams;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.SerfMessageType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Serf behaviours that must match hashicorp/serf exactly (docs/protocol.md §7), each checked in a
 * small simulated cluster against what the Go code does.
 */
class SerfParitySimulationTest {

    /** The Serf message types (§7.1) of the user messages in a packet, in packet order. */
    static List<Integer> serfTypesIn(byte[] packet) {
        List<Integer> types = new ArrayList<>();
        for (byte[] m : SimCluster.messagesIn(packet)) {
            if ((m[0] & 0xff) == MessageType.USER && m.length > 1) {
                types.add(m[1] & 0xff);
            }
        }
        return types;
    }

    /** serf delegate.go:GetBroadcasts: member intents, then queries, then user events. */
    @Test
    void gossipCarriesIntentsThenQueriesThenUserEvents() {
        SimCluster c = new SimCluster(801, Timings.lan());
        c.add(0);
        SimNode x = c.add(1);
        List<List<Integer>> sent = new ArrayList<>();
        c.tap = (from, to, packet) -> {
            if (from.equals(x.address)) {
                List<Integer> types = serfTypesIn(packet);
                if (!types.isEmpty()) {
                    sent.add(types);
                }
            }
        };
        // All three queued before x knows anyone: its first gossip after the join carries them together.
        x.node.joinAsync(List.of(SimCluster.seedOf(0)));
        x.node.sendUserEvent("deploy", "v2".getBytes(StandardCharsets.UTF_8), false);
        x.node.queryAsync("who", new byte[0], QueryParams.defaults());
        c.runFor(Duration.ofSeconds(5));

        assertThat(sent).isNotEmpty();
        assertThat(sent.get(0)).as("Serf messages in x's first packet carrying any")
                .containsExactly(SerfMessageType.JOIN, SerfMessageType.QUERY, SerfMessageType.USER_EVENT);
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }
}
