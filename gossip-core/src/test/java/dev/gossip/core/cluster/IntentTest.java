package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.membership.NodeState;
import dev.gossip.core.membership.TestNodes;
import dev.gossip.core.wire.JoinIntent;
import dev.gossip.core.wire.LeaveIntent;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.SerfMessageType;
import dev.gossip.core.wire.SerfPushPull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Serf's join and leave intents (§7.3), after serf's serf_internals_test.go: Lamport-stale intents
 * are ignored, intents about nodes memberlist has not reported yet are remembered (recentIntents)
 * and applied when it does, and a leave intent moves an alive member to leaving.
 */
class IntentTest {

    private final LoneSerf s = new LoneSerf("me", Map.of());

    /** Hands Serf an encoded intent as memberlist would; returns whether Serf re-gossips it. */
    private boolean deliver(byte[] intent) {
        int before = s.serf.intentBroadcasts.size();
        s.serf.notifyMsg(intent);
        return s.serf.intentBroadcasts.size() > before;
    }

    private boolean joinIntent(long ltime, String node) {
        return deliver(new JoinIntent(ltime, node).encode());
    }

    private boolean leaveIntent(long ltime, String node) {
        return deliver(new LeaveIntent(ltime, node, false).encode());
    }

    private MemberStatus viewed(String node) {
        return s.serf.member(node).orElseThrow().status();
    }

    private List<MemberEventType> memberEvents() {
        return s.events.stream().filter(e -> e instanceof GossipEvent.MemberEvent)
                .map(e -> ((GossipEvent.MemberEvent) e).type()).toList();
    }

    /** TestSerf_joinIntent_bufferEarly, TestSerf_join_pendingIntent. */
    @Test
    void aJoinIntentForAnUnknownNodeIsRememberedUntilItJoins() {
        assertThat(joinIntent(10, "test")).isTrue();
        assertThat(joinIntent(10, "test")).as("the same intent again").isFalse();
        assertThat(s.member("test")).isNull();

        s.join("test");
        assertThat(s.member("test").statusLTime).isEqualTo(10);
        assertThat(s.member("test").status).isEqualTo(MemberStatus.ALIVE);
    }

    /** TestSerf_leaveIntent_bufferEarly: applied when memberlist reports the node, it is leaving. */
    @Test
    void aLeaveIntentForAnUnknownNodeIsRememberedAndMakesItLeavingWhenItJoins() {
        assertThat(leaveIntent(10, "test")).isTrue();
        assertThat(leaveIntent(10, "test")).isFalse();

        s.join("test");
        assertThat(s.member("test").statusLTime).isEqualTo(10);
        assertThat(s.member("test").status).isEqualTo(MemberStatus.LEAVING);
        assertThat(viewed("test")).isEqualTo(MemberStatus.LEAVING);
    }

    /** TestSerf_join_pendingIntents: one intent is kept per node, the one with the latest time. */
    @Test
    void theLatestRememberedIntentWinsAndOlderOnesAreIgnored() {
        assertThat(joinIntent(5, "a")).isTrue();
        assertThat(leaveIntent(6, "a")).isTrue();
        assertThat(joinIntent(4, "a")).as("older than the remembered leave").isFalse();
        assertThat(joinIntent(6, "a")).as("as old as the remembered leave").isFalse();
        s.join("a");
        assertThat(s.member("a").status).isEqualTo(MemberStatus.LEAVING);
        assertThat(s.member("a").statusLTime).isEqualTo(6);

        assertThat(leaveIntent(5, "b")).isTrue();
        assertThat(joinIntent(6, "b")).isTrue();
        s.join("b");
        assertThat(s.member("b").status).isEqualTo(MemberStatus.ALIVE);
        assertThat(s.member("b").statusLTime).isEqualTo(6);
    }

    /** TestSerf_leaveIntent_oldMessage. */
    @Test
    void aStaleLeaveIntentIsIgnored() {
        s.join("test");
        s.member("test").statusLTime = 12;
        assertThat(leaveIntent(10, "test")).isFalse();
        assertThat(leaveIntent(12, "test")).as("not newer either").isFalse();
        assertThat(s.member("test").status).isEqualTo(MemberStatus.ALIVE);
        assertThat(s.member("test").statusLTime).isEqualTo(12);
    }

    /** TestSerf_leaveIntent_newer; then memberlist's dead makes the leaving member left, not failed. */
    @Test
    void aNewerLeaveIntentMovesAnAliveMemberToLeaving() {
        NodeState n = s.join("test");
        s.member("test").statusLTime = 12;
        assertThat(leaveIntent(14, "test")).isTrue();
        assertThat(s.member("test").status).isEqualTo(MemberStatus.LEAVING);
        assertThat(s.member("test").statusLTime).isEqualTo(14);
        assertThat(viewed("test")).isEqualTo(MemberStatus.LEAVING);
        assertThat(s.serf.clock.time()).as("witnessed 14").isEqualTo(15);

        s.serf.notifyLeave(TestNodes.in(n, NodeState.State.DEAD));
        assertThat(s.member("test").status).isEqualTo(MemberStatus.LEFT);
        assertThat(memberEvents()).containsExactly(MemberEventType.JOIN, MemberEventType.LEAVE);
    }

    /** TestSerf_joinIntent_oldMessage, TestSerf_joinIntent_newer. */
    @Test
    void aJoinIntentCountsOnlyIfNewer() {
        s.join("test");
        s.member("test").statusLTime = 12;
        assertThat(joinIntent(10, "test")).isFalse();
        assertThat(s.member("test").statusLTime).isEqualTo(12);
        assertThat(joinIntent(14, "test")).isTrue();
        assertThat(s.member("test").statusLTime).isEqualTo(14);
        assertThat(s.serf.clock.time()).isEqualTo(15);
    }

    /** TestSerf_joinIntent_resetLeaving: the leave was older than this join. */
    @Test
    void aNewerJoinIntentBringsALeavingMemberBack() {
        s.join("test");
        assertThat(leaveIntent(12, "test")).isTrue();
        assertThat(joinIntent(14, "test")).isTrue();
        assertThat(s.member("test").status).isEqualTo(MemberStatus.ALIVE);
        assertThat(s.member("test").statusLTime).isEqualTo(14);
        assertThat(viewed("test")).isEqualTo(MemberStatus.ALIVE);
    }

    /** serf.go:handleNodeLeaveIntent, StatusFailed: the member left after all (a forced leave). */
    @Test
    void aLeaveIntentForAFailedMemberMakesItLeft() {
        NodeState n = s.join("test");
        s.serf.notifyLeave(TestNodes.in(n, NodeState.State.DEAD));
        assertThat(s.member("test").status).isEqualTo(MemberStatus.FAILED);
        assertThat(leaveIntent(20, "test")).isTrue();
        assertThat(s.member("test").status).isEqualTo(MemberStatus.LEFT);
        assertThat(memberEvents()).containsExactly(
                MemberEventType.JOIN, MemberEventType.FAILED, MemberEventType.LEAVE);
    }

    /** A leave intent about us while we are alive is not passed on but refuted with a newer join. */
    @Test
    void aLeaveIntentAboutUsIsRefutedWithAJoinIntent() throws Exception {
        s.join("me");
        assertThat(leaveIntent(50, "me")).isFalse();
        s.time.runFor(0);

        List<byte[]> queued = s.serf.intentBroadcasts.getBroadcasts(0, 1400);
        assertThat(queued).hasSize(1);
        byte[] raw = queued.get(0);
        assertThat(raw[0]).isEqualTo((byte) SerfMessageType.JOIN);
        JoinIntent refutation = JoinIntent.decode(new MsgReader(raw, 1, raw.length - 1));
        assertThat(refutation.node()).isEqualTo("me");
        assertThat(refutation.ltime()).isGreaterThan(50);
        assertThat(s.member("me").status).isEqualTo(MemberStatus.ALIVE);
        assertThat(s.member("me").statusLTime).isEqualTo(refutation.ltime());
    }

    /** The members a push/pull of ours lists as left. */
    private static List<String> pushedAsLeft(LoneSerf serf) throws Exception {
        byte[] state = serf.serf.localState(false);
        return SerfPushPull.decode(new MsgReader(state, 1, state.length - 1)).leftMembers();
    }

    /**
     * A left member whose newest intent is a join (its new process announced itself before
     * memberlist reported it alive) is not pushed as left: serf's merge reads "left at t" as a
     * leave at t + 1, which would out-date that very join and leave the member stuck as leaving
     * wherever it was already back (found by ChurnSoakLabTest).
     */
    @Test
    void aLeftMemberWhoseNewestIntentIsAJoinIsNotPushedAsLeft() throws Exception {
        NodeState n = s.join("x");
        assertThat(leaveIntent(10, "x")).isTrue();
        s.serf.notifyLeave(TestNodes.in(n, NodeState.State.DEAD));
        assertThat(s.member("x").status).isEqualTo(MemberStatus.LEFT);
        assertThat(pushedAsLeft(s)).containsExactly("x");

        assertThat(joinIntent(20, "x")).isTrue();
        assertThat(s.member("x").status).as("until memberlist reports it").isEqualTo(MemberStatus.LEFT);
        assertThat(pushedAsLeft(s)).isEmpty();

        LoneSerf peer = new LoneSerf("peer", Map.of());
        peer.join("x");
        peer.serf.notifyMsg(new JoinIntent(20, "x").encode());
        peer.serf.decodeRemoteState(s.serf.localState(false)).merge(false);
        assertThat(peer.member("x").status).as("x, back, at a peer that merged our state").isEqualTo(MemberStatus.ALIVE);

        assertThat(leaveIntent(30, "x")).as("it left again").isTrue();
        assertThat(pushedAsLeft(s)).containsExactly("x");
    }

    /**
     * A leaving member is pushed as left. Pushed by its status time alone, as serf.go does, a peer
     * that had not heard of the leave read that time as a join, then ignored the leave intent
     * itself (not newer), and memberlist's leave made the member failed, not left (found by
     * CrashAndLeaveSimulationTest once push/pulls ran during the leave).
     */
    @Test
    void aLeavingMemberIsPushedAsLeftSoThatAPeerTakesTheLeave() throws Exception {
        s.join("x");
        assertThat(leaveIntent(10, "x")).isTrue();
        assertThat(s.member("x").status).isEqualTo(MemberStatus.LEAVING);
        assertThat(pushedAsLeft(s)).containsExactly("x");

        LoneSerf peer = new LoneSerf("peer", Map.of());
        NodeState x = peer.join("x");
        peer.serf.decodeRemoteState(s.serf.localState(false)).merge(false);
        assertThat(peer.member("x").status).isEqualTo(MemberStatus.LEAVING);
        peer.serf.notifyMsg(new LeaveIntent(10, "x", false).encode()); // the leave itself, late
        peer.serf.notifyLeave(TestNodes.in(x, NodeState.State.LEFT));
        assertThat(peer.member("x").status).isEqualTo(MemberStatus.LEFT);
    }

    /**
     * A peer holding a newer status time for us than our own (a leave we never heard of, turned
     * into a join time by push/pull on its way to us) gets a fresh join intent, as a leave intent
     * about us does: otherwise a peer that sees us leaving keeps doing so for as long as we live.
     * A gossiped join about us (a second process under our name) is not refuted.
     */
    @Test
    void aNewerStatusTimeForUsInAPushPullIsRefutedWithAJoinIntent() throws Exception {
        s.join("me");
        s.member("me").statusLTime = 12;
        assertThat(joinIntent(20, "me")).as("gossiped: passed on").isTrue();
        s.time.runFor(0);
        assertThat(s.serf.intentBroadcasts.getBroadcasts(0, 1400)).as("but not refuted").hasSize(1);
        s.serf.intentBroadcasts.clear();

        LoneSerf peer = new LoneSerf("peer", Map.of());
        peer.join("me");
        peer.serf.notifyMsg(new LeaveIntent(40, "me", false).encode());
        assertThat(peer.member("me").status).isEqualTo(MemberStatus.LEAVING);

        s.serf.decodeRemoteState(peer.serf.localState(false)).merge(false);
        s.time.runFor(0);
        List<byte[]> queued = s.serf.intentBroadcasts.getBroadcasts(0, 1400);
        assertThat(queued).hasSize(1);
        byte[] raw = queued.get(0);
        JoinIntent refutation = JoinIntent.decode(new MsgReader(raw, 1, raw.length - 1));
        assertThat(refutation.node()).isEqualTo("me");
        assertThat(refutation.ltime()).isGreaterThan(40);

        peer.serf.notifyMsg(raw);
        assertThat(peer.member("me").status).isEqualTo(MemberStatus.ALIVE);
        s.time.runFor(0);
        assertThat(s.serf.intentBroadcasts.getBroadcasts(0, 1400)).as("the refutation, not refuted in turn")
                .containsExactly(raw);
    }

    /** serf.go:reapIntents: remembered intents are forgotten after RecentIntentTimeout (5 min). */
    @Test
    void rememberedIntentsExpire() {
        // Only the housekeeping timers: without failed members they never reach memberlist.
        s.serf.start(null);
        assertThat(leaveIntent(10, "soon")).isTrue();
        assertThat(leaveIntent(10, "late")).isTrue();

        s.time.runFor(Duration.ofMinutes(4).toNanos());
        s.join("soon");
        assertThat(s.member("soon").status).isEqualTo(MemberStatus.LEAVING);

        s.time.runFor(Duration.ofMinutes(2).toNanos());
        s.join("late");
        assertThat(s.member("late").status).isEqualTo(MemberStatus.ALIVE);
        assertThat(s.member("late").statusLTime).isZero();
        assertThat(s.time.firstFailure()).isNull();
    }
}
