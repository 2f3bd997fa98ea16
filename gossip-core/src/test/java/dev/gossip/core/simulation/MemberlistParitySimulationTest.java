package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.cluster.Tags;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
import dev.gossip.core.wire.SerfPushPull;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * memberlist behaviours that must match hashicorp/memberlist (docs/protocol.md §5, §6), each
 * checked in a small simulated cluster against what the Go code does.
 */
class MemberlistParitySimulationTest {

    /** serf 0.9 with protocol 5: [PMin, PMax, PCur, DMin, DMax, DCur]. */
    private static final byte[] OURS = {1, 5, 2, 2, 5, 5};

    /** A compressed push/pull stream listing one alive node {@code name} at {@code at} with versions {@code vsn}. */
    private static byte[] pushPull(boolean join, String name, InetSocketAddress at, byte[] vsn) {
        PushNodeState node = new PushNodeState(name, at.getAddress().getAddress(), at.getPort(),
                Tags.encode(Map.of()), 1, 0, vsn);
        byte[] serf = new SerfPushPull(1, Map.of(name, 1L), List.of(), 1, List.of(), 1).encode();
        return Packets.compress(new PushPull(join, List.of(node), serf).encode());
    }

    /** Sends {@code stream} to {@code to} and returns the decompressed reply, or null if none came. */
    private static byte[] exchange(SimCluster c, Transport from, SimNode to, byte[] stream) {
        List<byte[]> replies = new ArrayList<>();
        from.request(to.address, stream, true, TimeUnit.SECONDS.toNanos(10), new Transport.StreamCallback() {
            @Override
            public void onReply(byte[] reply) {
                replies.add(reply);
            }

            @Override
            public void onFailure(Throwable cause) {
            }
        });
        c.runFor(Duration.ofSeconds(2));
        if (replies.isEmpty()) {
            return null;
        }
        try {
            byte[] r = replies.get(0);
            return Packets.decompress(r, 1, r.length - 1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * memberlist net.go:handleConn answers a push/pull with its own state, then mergeRemoteState
     * runs state.go:verifyProtocol and merges nothing when no version range suits every node.
     */
    @Test
    void aPushPullWithIncompatibleVersionsIsAnsweredButNotMerged() {
        SimCluster c = SimCluster.formed(811, Timings.lan(), 3);
        SimNode x = c.node(0);
        Transport outsider = c.outsider(SimCluster.address(99), m -> null);

        // Needs memberlist protocol 3 at least, where our nodes speak 2.
        byte[] reply = exchange(c, outsider, x, pushPull(false, "newer", SimCluster.address(50),
                new byte[] {3, 5, 3, 2, 5, 5}));
        assertThat(reply).as("x's own state, sent before the check").isNotNull();
        assertThat(reply[0] & 0xff).isEqualTo(MessageType.PUSH_PULL);
        assertThat(x.statusOf("newer")).isEqualTo(MemberStatus.NONE);
        assertThat(x.node.stats().drops(DropReason.INCOMPATIBLE_VERSION)).isEqualTo(1);

        // Speaks Serf protocol 1 only, where our nodes need 2 at least.
        exchange(c, outsider, x, pushPull(false, "older", SimCluster.address(51), new byte[] {1, 5, 2, 1, 1, 1}));
        assertThat(x.statusOf("older")).isEqualTo(MemberStatus.NONE);
        // No versions at all: version 0, which nobody understands.
        exchange(c, outsider, x, pushPull(false, "unversioned", SimCluster.address(52), new byte[0]));
        assertThat(x.statusOf("unversioned")).isEqualTo(MemberStatus.NONE);
        assertThat(x.node.stats().drops(DropReason.INCOMPATIBLE_VERSION)).isEqualTo(3);

        // The same stream with versions that fit is merged.
        exchange(c, outsider, x, pushPull(false, "peer", SimCluster.address(53), OURS));
        assertThat(x.statusOf("peer")).isEqualTo(MemberStatus.ALIVE);
        c.assertNoTaskFailures();
    }

    /** memberlist state.go:pushPullNode: a reply that fails verifyProtocol fails the join and merges nothing. */
    @Test
    void aJoinWhoseReplyHasIncompatibleVersionsMergesNothing() {
        SimCluster c = new SimCluster(812, Timings.lan());
        SimNode x = c.add(0);
        InetSocketAddress seed = SimCluster.address(98);
        c.outsider(seed, m -> pushPull(true, "newer", seed, new byte[] {3, 5, 3, 2, 5, 5}));

        CompletableFuture<Integer> joined = x.node.joinAsync(List.of(SimCluster.seedOf(98)));
        c.runFor(Duration.ofSeconds(5));

        assertThat(joined).isCompletedWithValue(0);
        assertThat(x.node.members()).extracting(Member::name).containsExactly(x.name);
        assertThat(x.node.stats().drops(DropReason.INCOMPATIBLE_VERSION)).isEqualTo(1);
        c.assertNoTaskFailures();
    }

    /**
     * Stricter than memberlist's aliveNode: an alive whose versions cannot work with ours is
     * dropped, where Go would list it and from then refuse every push/pull (verifyProtocol).
     */
    @Test
    void aForgedAliveWithVersionsNobodySpeaksCannotStopPushPulls() {
        SimCluster c = SimCluster.formed(813, Timings.lan(), 3);
        SimNode x = c.node(0);
        Transport outsider = c.outsider(SimCluster.address(99), m -> null);
        long badBefore = x.node.stats().drops(DropReason.BAD_VERSION);
        InetSocketAddress at = SimCluster.address(60);
        for (byte[] vsn : List.of(new byte[] {1, 30, 27, 2, 5, 5}, new byte[] {1, 5, 2, 2, 5, 9},
                new byte[] {3, 5, 3, 2, 5, 5}, new byte[] {1, 5, 2})) {
            outsider.sendPacket(x.address, new Alive(1, "forged", at.getAddress().getAddress(), at.getPort(),
                    Tags.encode(Map.of()), vsn).encode());
        }
        c.runFor(Duration.ofSeconds(1));
        assertThat(x.statusOf("forged")).isEqualTo(MemberStatus.NONE);
        assertThat(x.node.stats().drops(DropReason.BAD_VERSION) - badBefore).isEqualTo(4);

        exchange(c, outsider, x, pushPull(false, "peer", SimCluster.address(53), OURS));
        assertThat(x.statusOf("peer")).isEqualTo(MemberStatus.ALIVE);
        assertThat(x.node.stats().drops(DropReason.INCOMPATIBLE_VERSION)).isZero();
        c.assertNoTaskFailures();
    }

    /**
     * Crashes node-3 of a four-node cluster, waits until everyone has called it failed and
     * {@code after} more, then starts node-3 again at another address; true if every node sees
     * it alive there within 30 s. Dead nodes are kept for ten minutes (gossipToTheDeadTime), so
     * only DeadNodeReclaimTime can free the name in that time.
     */
    private static boolean restartedElsewhereIsTakenBack(long seed, Duration reclaim, Duration after) {
        Timings t = Timings.lan().toBuilder().gossipToTheDeadTime(Duration.ofMinutes(10))
                .deadNodeReclaimTime(reclaim).build();
        SimCluster c = SimCluster.formed(seed, t, 4);
        SimNode old = c.node(3);
        c.crash(old);
        assertThat(c.runUntil(s -> s.allSee(old.name, MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(60))).isTrue();
        c.runFor(after);
        InetSocketAddress elsewhere = SimCluster.address(9);
        SimNode moved = c.restartAt(old, elsewhere);
        moved.node.joinAsync(List.of(SimCluster.seedOf(0)));
        boolean back = c.runUntil(s -> s.live().stream().filter(o -> o != moved).allMatch(o -> o.view(old.name)
                        .filter(m -> m.status() == MemberStatus.ALIVE && m.socketAddress().equals(elsewhere))
                        .isPresent()),
                Duration.ofMillis(100), Duration.ofSeconds(30));
        c.assertNoTaskFailures();
        return back;
    }

    /**
     * memberlist state.go:aliveNode: an alive from another address for a dead node's name
     * updates the node once DeadNodeReclaimTime has passed since it died; 0 (memberlist's default) never.
     */
    @Test
    void aDeadNodesNameIsTakenFromANewAddressAfterDeadNodeReclaimTime() {
        assertThat(restartedElsewhereIsTakenBack(814, Duration.ofSeconds(5), Duration.ofSeconds(6)))
                .as("reclaimed after 5 s").isTrue();
        assertThat(restartedElsewhereIsTakenBack(814, Duration.ZERO, Duration.ofSeconds(6)))
                .as("never reclaimed (memberlist's default)").isFalse();
    }
}
