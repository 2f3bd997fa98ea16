package dev.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.wire.Accusation;
import org.junit.jupiter.api.Test;

/** memberlist's incarnation is a uint32: it wraps as Go's does and stays decodable by Go peers. */
class IncarnationWrapTest {

    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    @Test
    void aSuspicionAtTheLastIncarnationIsRefutedWithZeroWhichPeersIgnore() {
        TwoMemberlists c = new TwoMemberlists(t -> t, t -> t);
        c.startAndJoin();

        // b suspects a at 2^32-1 (a hostile node made that up) and gossips it to a.
        c.b.suspectNode(Accusation.suspect(MAX_UINT32, "a", "x"));
        c.runSeconds(1);

        // state.go:refute: inc = nextIncarnation(); accusedInc >= inc, so
        // inc = skipIncarnation(accusedInc - inc + 1) = 2^32 mod 2^32 = 0.
        assertThat(c.a.self().incarnation()).isZero();
        // state.go:aliveNode: alive(a, 0) <= 2^32-1 known, so b ignores it and a stays suspect at
        // 2^32-1, as a Go peer would; nothing is dropped as undecodable.
        NodeState aAtB = c.b.node("a");
        assertThat(aAtB.incarnation()).isEqualTo(MAX_UINT32);
        assertThat(aAtB.state).isEqualTo(State.SUSPECT);
        assertThat(c.statsB.drops()).isEmpty();
    }

    @Test
    void aMetaUpdateAfterTheLastIncarnationWrapsAndIsIgnoredAsGoIgnoresIt() {
        TwoMemberlists c = new TwoMemberlists(t -> t, t -> t);
        c.startAndJoin();

        // A suspicion at 2^32-2 is refuted with 2^32-1 (state.go:refute).
        c.a.suspectNode(Accusation.suspect(MAX_UINT32 - 1, "a", "x"));
        assertThat(c.a.self().incarnation()).isEqualTo(MAX_UINT32);

        // memberlist.go:UpdateNode takes nextIncarnation(), which wraps to 0; aliveNode then
        // bails out ("strictly less and this is about us"), so the node keeps 2^32-1 and its
        // old meta, exactly as a Go node would, instead of advertising an incarnation of 2^32.
        c.a.updateMeta(new byte[] {1});
        assertThat(c.a.self().incarnation()).isEqualTo(MAX_UINT32);
        assertThat(c.a.self().meta).isEmpty();
    }
}
