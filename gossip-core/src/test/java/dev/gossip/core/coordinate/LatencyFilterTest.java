package dev.gossip.core.coordinate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-peer moving median, after Serf's TestClient_latencyFilter. */
class LatencyFilterTest {

    @Test
    void medianOfTheLastThreeSamplesHidesASingleGlitch() {
        LatencyFilter filter = new LatencyFilter(3);

        assertThat(filter.add("alice", 0.201)).isEqualTo(0.201);
        assertThat(filter.add("alice", 0.200)).isEqualTo(0.201);
        assertThat(filter.add("alice", 0.207)).isEqualTo(0.201);

        // The glitch never reaches Vivaldi.
        assertThat(filter.add("alice", 1.9)).isEqualTo(0.207);
        assertThat(filter.add("alice", 0.203)).isEqualTo(0.207);
        assertThat(filter.add("alice", 0.199)).isEqualTo(0.203);
        assertThat(filter.add("alice", 0.211)).isEqualTo(0.203);
    }

    @Test
    void peersHaveSeparateSamplesAndForgottenPeersStartOver() {
        LatencyFilter filter = new LatencyFilter(3);
        filter.add("alice", 0.201);
        filter.add("alice", 0.203);

        assertThat(filter.add("bob", 0.310)).isEqualTo(0.310);
        assertThat(filter.trackedNodes()).isEqualTo(2);

        filter.forget("alice");
        assertThat(filter.trackedNodes()).isEqualTo(1);
        assertThat(filter.add("alice", 0.888)).isEqualTo(0.888);
    }

    @Test
    void evenSampleCountsTakeTheUpperMedianLikeSerf() {
        LatencyFilter filter = new LatencyFilter(4);
        filter.add("alice", 0.4);
        filter.add("alice", 0.1);
        filter.add("alice", 0.3);

        assertThat(filter.add("alice", 0.2)).isEqualTo(0.3);
    }
}
