package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;

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
}
