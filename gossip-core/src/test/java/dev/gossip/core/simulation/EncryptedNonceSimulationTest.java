package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Timings;
import dev.gossip.core.security.Keyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nodes driven by the same seeded generator still send different GCM nonces: nonces do not come
 * from the node's randomness, while the run itself stays deterministic.
 */
class EncryptedNonceSimulationTest {

    private static final byte[] KEY = new byte[32];

    /** The nonces of the first packets node-0 sends in a 3-node encrypted cluster from {@code seed}. */
    private static List<byte[]> firstNonces(long seed) {
        SimCluster c = new SimCluster(seed, Timings.lan());
        c.configure = b -> b.keyring(Keyring.of(KEY));
        List<byte[]> nonces = new ArrayList<>();
        c.tap = (from, to, packet) -> {
            if (from.equals(SimCluster.address(0)) && nonces.size() < 20) {
                nonces.add(Arrays.copyOfRange(packet, 1, 13));
            }
        };
        c.formCluster(3, Duration.ofMillis(100), Duration.ofSeconds(20));
        c.runFor(Duration.ofSeconds(10));
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
        return nonces;
    }

    @Test
    void sameSeedDifferentNonces() {
        List<byte[]> a = firstNonces(9);
        List<byte[]> b = firstNonces(9);
        assertThat(a).hasSize(20);
        assertThat(b).hasSize(20);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("nonce of packet %d in the second run", i).isNotEqualTo(a.get(i));
        }
    }
}
