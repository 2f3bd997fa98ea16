package dev.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimingsTest {

    /**
     * Every field of every preset, as LAN / WAN / LOCAL (protocol doc §8.1, §8.2): memberlist's
     * DefaultLANConfig / DefaultWANConfig / DefaultLocalConfig with Serf's DefaultConfig.
     */
    private static final Map<String, List<Object>> PRESETS = new LinkedHashMap<>();

    static {
        pin("probeInterval", s(1), s(5), s(1));
        pin("probeTimeout", ms(500), s(3), ms(200));
        pin("indirectChecks", 3, 3, 1);
        pin("retransmitMult", 4, 4, 2);
        pin("suspicionMult", 4, 6, 3);
        pin("suspicionMaxTimeoutMult", 6, 6, 6);
        pin("pushPullInterval", s(30), s(60), s(15));
        pin("tcpTimeout", s(10), s(30), s(1));
        pin("gossipInterval", ms(200), ms(500), ms(100));
        pin("gossipNodes", 3, 4, 3);
        pin("gossipToTheDeadTime", s(30), s(60), s(15));
        pin("awarenessMaxMultiplier", 8, 8, 8);
        pin("udpBufferSize", 1400, 1400, 1400);
        pin("disableTcpPings", false, false, false);
        pin("enableCompression", true, true, true);
        pin("deadNodeReclaimTime", Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
        pin("broadcastTimeout", s(5), s(5), s(5));
        pin("leavePropagateDelay", s(1), s(1), s(1));
        pin("reapInterval", s(15), s(15), s(15));
        pin("reconnectInterval", s(30), s(30), s(30));
        pin("reconnectTimeout", Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(24));
        pin("tombstoneTimeout", Duration.ofHours(24), Duration.ofHours(24), Duration.ofHours(24));
        pin("queueCheckInterval", s(30), s(30), s(30));
        pin("maxQueueDepth", 4096, 4096, 4096);
        pin("recentIntentTimeout", Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(5));
        pin("eventBuffer", 512, 512, 512);
        pin("queryBuffer", 512, 512, 512);
        pin("queryTimeoutMult", 16, 16, 16);
        pin("querySizeLimit", 1024, 1024, 1024);
        pin("queryResponseSizeLimit", 1024, 1024, 1024);
        pin("userEventSizeLimit", 512, 512, 512);
        pin("maxMembers", 10_000, 10_000, 10_000);
        pin("enableNameConflictResolution", true, true, true);
        pin("stormQueueDepth", 64, 64, 64);
        pin("eagerGossipDepth", 8, 8, 8);
    }

    private static void pin(String field, Object lan, Object wan, Object local) {
        PRESETS.put(field, List.of(lan, wan, local));
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void everyFieldOfEveryPresetHasItsPinnedValue() throws Exception {
        RecordComponent[] fields = Timings.class.getRecordComponents();
        // A new field must be pinned here too; a removed one must leave the table.
        assertThat(PRESETS.keySet())
                .containsExactlyElementsOf(Arrays.stream(fields).map(RecordComponent::getName).toList());
        Profile[] profiles = {Profile.LAN, Profile.WAN, Profile.LOCAL};
        for (RecordComponent field : fields) {
            for (int i = 0; i < profiles.length; i++) {
                Object actual = field.getAccessor().invoke(profiles[i].timings());
                assertThat(actual).as("%s.%s", profiles[i], field.getName())
                        .isEqualTo(PRESETS.get(field.getName()).get(i));
            }
        }
    }

    @Test
    void profilesAreThePresets() {
        assertThat(Profile.LAN.timings()).isEqualTo(Timings.lan());
        assertThat(Profile.WAN.timings()).isEqualTo(Timings.wan());
        assertThat(Profile.LOCAL.timings()).isEqualTo(Timings.local());
    }

    @Test
    void aBuilderChangesOnlyWhatItIsTold() {
        Timings lan = Timings.lan();
        Timings changed = lan.toBuilder().gossipNodes(9).build();
        assertThat(changed.gossipNodes()).isEqualTo(9);
        assertThat(changed.toBuilder().gossipNodes(lan.gossipNodes()).build()).isEqualTo(lan);
        assertThat(lan.toBuilder().build()).isEqualTo(lan);
    }

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
    void deadNodesAreReclaimedAfter30sAndNameConflictsResolvedByDefault() {
        // memberlist leaves DeadNodeReclaimTime at 0 (never); Consul's agent sets 30 s, and so do we.
        // serf config.go:DefaultConfig: EnableNameConflictResolution true.
        for (Profile p : Profile.values()) {
            assertThat(p.timings().deadNodeReclaimTime()).as(p.name()).isEqualTo(Duration.ofSeconds(30));
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
