package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimingsTest {

    @Test
    void aLeaveIsBoundedByTwoBroadcastsAndThePropagateDelay() {
        // Serf's defaults: BroadcastTimeout 5 s, LeavePropagateDelay 1 s (serf config.go:DefaultConfig)
        assertThat(Timings.lan().leaveTimeout()).isEqualTo(Duration.ofSeconds(11));
        for (Profile p : Profile.values()) {
            Timings t = p.timings();
            assertThat(t.leaveTimeout()).as(p.name())
                    .isEqualTo(t.broadcastTimeout().multipliedBy(2).plus(t.leavePropagateDelay()));
        }
    }

    @Test
    void deadNodesAreNeverReclaimedAndNameConflictsResolvedByDefault() {
        // memberlist config.go: DeadNodeReclaimTime unset (0); serf config.go:DefaultConfig: EnableNameConflictResolution true
        for (Profile p : Profile.values()) {
            assertThat(p.timings().deadNodeReclaimTime()).as(p.name()).isZero();
            assertThat(p.timings().enableNameConflictResolution()).as(p.name()).isTrue();
        }
        assertThat(Timings.lan().toBuilder().deadNodeReclaimTime(Duration.ofMinutes(1)).build().deadNodeReclaimTime())
                .isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> Timings.lan().toBuilder().deadNodeReclaimTime(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadNodeReclaimTime");
        assertThatThrownBy(() -> Timings.lan().toBuilder().deadNodeReclaimTime(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadNodeReclaimTime");
    }
}
