package dev.gossip.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkTest {

    @Test
    void presetsAreSensible() {
        assertThat(Link.LAN.minLatencyNanos()).isEqualTo(200_000);
        assertThat(Link.LAN.maxLatencyNanos()).isEqualTo(1_000_000);
        assertThat(Link.LAN.lossProbability()).isZero();
        assertThat(Link.lossy(0.25)).isEqualTo(new Link(200_000, 1_000_000, 0.25));
        assertThat(Link.fixed(5)).isEqualTo(new Link(5, 5, 0.0));
    }

    @Test
    void rejectsImpossibleLinks() {
        assertThatThrownBy(() -> new Link(-1, 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Link(5, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Link.lossy(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Link.lossy(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
