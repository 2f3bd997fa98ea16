package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.membership.NodeState;
import org.junit.jupiter.api.Test;

/** Enum values that go on the wire are Go's constants, written down, not whatever order the enum has. */
class WireValuesTest {

    @Test
    void memberlistNodeStates() {
        // memberlist state.go: StateAlive, StateSuspect, StateDead, StateLeft = iota
        assertThat(NodeState.State.ALIVE.wire()).isZero();
        assertThat(NodeState.State.SUSPECT.wire()).isEqualTo(1);
        assertThat(NodeState.State.DEAD.wire()).isEqualTo(2);
        assertThat(NodeState.State.LEFT.wire()).isEqualTo(3);
    }

    @Test
    void serfMemberStatuses() {
        // serf serf.go: StatusNone, StatusAlive, StatusLeaving, StatusLeft, StatusFailed = iota
        assertThat(MemberStatus.NONE.wire()).isZero();
        assertThat(MemberStatus.ALIVE.wire()).isEqualTo(1);
        assertThat(MemberStatus.LEAVING.wire()).isEqualTo(2);
        assertThat(MemberStatus.LEFT.wire()).isEqualTo(3);
        assertThat(MemberStatus.FAILED.wire()).isEqualTo(4);
    }
}
