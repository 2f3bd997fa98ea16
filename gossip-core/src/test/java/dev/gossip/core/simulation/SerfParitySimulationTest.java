package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.QueryResponseMessage;
import dev.gossip.core.wire.RelayHeader;
import dev.gossip.core.wire.SerfMessageType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        c.assertNoTaskFailures();
    }

    /** Where {@code responder}, the only one answering query {@code name}, sent relayed responses. */
    private static List<InetSocketAddress> relaysOfOneResponse(SimCluster c, String name, SimNode asker,
                                                                SimNode responder, int relayFactor, byte[] answer) {
        responder.node.addListener(e -> {
            if (e instanceof Query q && q.name().equals(name)) {
                q.respond(answer);
            }
        });
        List<InetSocketAddress> relayedTo = new ArrayList<>();
        c.tap = (from, to, packet) -> {
            if (from.equals(responder.address) && serfTypesIn(packet).contains(SerfMessageType.RELAY)) {
                relayedTo.add(to);
            }
        };
        CompletableFuture<QueryHandle> f = asker.node.queryAsync(name, new byte[0],
                new QueryParams(List.of(), Map.of(), false, relayFactor, null));
        c.runFor(Duration.ofMillis(1));
        QueryHandle h = f.join();
        assertThat(c.runUntil(s -> h.finished().isDone(), Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        assertThat(h.responses()).extracting(QueryHandle.Response::from).containsExactly(responder.name);
        c.tap = null;
        return relayedTo;
    }

    /**
     * serf query.go:relayResponse: with at least RelayFactor + 1 members (any status, us included),
     * kRandomMembers picks up to RelayFactor alive protocol-5 others, and fewer when fewer qualify.
     */
    @Test
    void responsesAreRelayedThroughTheFewMembersThatQualify() {
        SimCluster c = SimCluster.formed(802, Timings.lan(), 4);
        SimNode failed = c.node(3);
        c.crash(failed);
        assertThat(c.runUntil(s -> s.allSee(failed.name, MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(60))).isTrue();

        // 4 members, so a relay factor of 3 is worth it; only node-0 and node-2 qualify.
        List<InetSocketAddress> relayedTo = relaysOfOneResponse(c, "who", c.node(0), c.node(1), 3, new byte[] {1});

        assertThat(relayedTo).containsExactlyInAnyOrder(c.node(0).address, c.node(2).address);
        c.assertNoTaskFailures();
    }

    /** serf query.go:relayResponse: a relay message over QueryResponseSizeLimit is not sent; the direct response is. */
    @Test
    void aRelayOverTheResponseSizeLimitIsNotSent() {
        SimCluster c = SimCluster.formed(803, Timings.lan(), 4);
        byte[] big = new byte[960];
        int limit = c.timings.queryResponseSizeLimit();
        byte[] response = new QueryResponseMessage(Long.MAX_VALUE, -1, "node-1", 0, big).encode();
        byte[] relay = new RelayHeader(c.node(0).address.getAddress().getAddress(), 7946, "node-0").encode(response);
        assertThat(response.length).isLessThanOrEqualTo(limit);
        assertThat(relay.length).isGreaterThan(limit);

        assertThat(relaysOfOneResponse(c, "small", c.node(0), c.node(1), 2, new byte[] {1})).hasSize(2);
        assertThat(relaysOfOneResponse(c, "big", c.node(0), c.node(2), 2, big)).isEmpty();
        c.assertNoTaskFailures();
    }

    /**
     * serf serf.go:handleNodeLeave: memberlist's dead-from-itself makes a member left only when
     * its leave intent came first (Leaving → Left); for an Alive one it is Failed. The intent,
     * when it does arrive, turns Failed into Left (handleNodeLeaveIntent, member-leave).
     */
    @Test
    void aLeaveWhoseIntentWasMissedShowsFailedUntilTheIntentArrives() {
        SimCluster c = SimCluster.formed(804, Timings.lan(), 3);
        SimNode x = c.node(0);
        SimNode other = c.node(1);
        SimNode leaver = c.node(2);
        boolean[] blocking = {true};
        c.filter = (from, to, packet) -> blocking[0] && to.equals(x.address)
                && serfTypesIn(packet).contains(SerfMessageType.LEAVE);
        boolean[] left = {false};
        leaver.node.leave().thenRun(() -> left[0] = true);
        assertThat(c.runUntil(s -> left[0], Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        leaver.node.shutdown();
        assertThat(x.statusOf(leaver.name)).as("x got the dead but not the intent").isEqualTo(MemberStatus.FAILED);
        assertThat(other.statusOf(leaver.name)).isEqualTo(MemberStatus.LEFT);

        blocking[0] = false; // the intent reaches x by push/pull (Serf's LeftMembers)
        assertThat(c.runUntil(s -> x.statusOf(leaver.name) == MemberStatus.LEFT, Duration.ofMillis(100),
                Duration.ofSeconds(90))).isTrue();
        assertThat(x.events.stream().filter(e -> e.subject().equals(leaver.name)).map(SimCluster.Ev::kind))
                .containsExactly("member-join", "member-failed", "member-leave");
        assertThat(other.count("member-failed", leaver.name)).isZero();
        c.assertNoTaskFailures();
    }

    /**
     * serf serf.go:Leave with nobody alive to tell still calls memberlist.go:Leave, whose
     * deadNode about ourselves reaches serf.go:handleNodeLeave: our own member goes from
     * Leaving to Left, with a member-leave event, as it does when others are there.
     */
    @Test
    void aNodeLeavingAloneEndsLeft() {
        SimCluster c = SimCluster.formed(805, Timings.lan(), 2);
        SimNode x = c.node(0);
        c.crash(c.node(1));
        assertThat(c.runUntil(s -> x.statusOf("node-1") == MemberStatus.FAILED, Duration.ofMillis(100),
                Duration.ofSeconds(60))).isTrue();

        boolean[] left = {false};
        x.node.leave().thenRun(() -> left[0] = true);
        assertThat(c.runUntil(s -> left[0], Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();

        assertThat(x.node.localMember().orElseThrow().status()).isEqualTo(MemberStatus.LEFT);
        assertThat(x.count("member-leave", x.name)).isEqualTo(1);
        c.assertNoTaskFailures();
    }

    /**
     * A second process under node-1's name at another address joins through node-0; returns
     * whether it was still running 30 s later, and checks whether it asked the cluster about the
     * conflict ({@code _serf_conflict}).
     */
    private static boolean cloneSurvives(boolean resolution) {
        Timings t = Timings.lan().toBuilder().enableNameConflictResolution(resolution).build();
        SimCluster c = SimCluster.formed(806, t, 4);
        SimNode clone = c.impostor(1, SimCluster.address(9));
        boolean[] asked = {false};
        c.tap = (from, to, packet) -> {
            if (from.equals(clone.address) && serfTypesIn(packet).contains(SerfMessageType.QUERY)
                    && new String(packet, StandardCharsets.ISO_8859_1).contains("_serf_conflict")) {
                asked[0] = true;
            }
        };
        clone.node.joinAsync(List.of(SimCluster.seedOf(0)));
        c.runFor(Duration.ofSeconds(30));
        assertThat(asked[0]).as("conflict query sent").isEqualTo(resolution);
        assertThat(c.live()).as("the original and the others").hasSize(4);
        c.assertNoTaskFailures();
        return clone.node.isRunning();
    }

    /**
     * serf serf.go:handleNodeConflict runs resolveNodeConflict (the {@code _serf_conflict} vote,
     * shutdown on losing it) only with EnableNameConflictResolution; off, it only logs.
     */
    @Test
    void withNameConflictResolutionOffAConflictShutsNobodyDown() {
        assertThat(cloneSurvives(true)).as("with resolution the clone loses the vote").isFalse();
        assertThat(cloneSurvives(false)).as("without resolution nobody shuts down").isTrue();
    }
}
