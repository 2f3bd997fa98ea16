package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.coordinate.Coordinate;
import dev.gossip.core.coordinate.CoordinateCodec;
import dev.gossip.core.coordinate.CoordinateConfig;
import dev.gossip.core.membership.NodeState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Vivaldi coordinate in our acks is encoded once per coordinate, and always the current one. */
class AckPayloadTest {

    @Test
    void theAckPayloadIsReusedUntilTheCoordinateMoves() throws Exception {
        LoneSerf s = new LoneSerf("me", Map.of());
        byte[] first = s.serf.ackPayload();
        assertThat(s.serf.ackPayload()).isSameAs(first);
        assertThat(CoordinateCodec.decode(first)).isEqualTo(Coordinate.origin(CoordinateConfig.defaults()));

        NodeState peer = s.join("peer");
        byte[] theirs = CoordinateCodec.encode(Coordinate.origin(CoordinateConfig.defaults()));
        s.serf.notifyPingComplete(peer, 20_000_000, theirs);

        byte[] moved = s.serf.ackPayload();
        assertThat(moved).isNotEqualTo(first);
        assertThat(CoordinateCodec.decode(moved)).isNotEqualTo(Coordinate.origin(CoordinateConfig.defaults()));
        assertThat(s.serf.ackPayload()).isSameAs(moved);
    }
}
