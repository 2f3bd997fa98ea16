package dev.gossip.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.DropReason;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.security.Keyring;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code serf agent -encrypt}: the right key joins; a wrong key gets nothing accepted. */
class EncryptionSerfInteropTest {

    private static final String KEY = "Q8v625bjjb/qpvT+vsh/znm6HxWrsn6vLv3IVYJn2Ks=";
    private static final String WRONG = "oyB7dNdFKLGErJ6eeNNd3cLXMKMzNqS2Y4sZr/TRCMk=";

    private final JavaNodes java = new JavaNodes();
    private SerfAgent alpha;
    private SerfAgent beta;

    @BeforeEach
    void cluster() throws Exception {
        SerfBinary.require();
        alpha = SerfAgent.start("alpha", Map.of("role", "web"), KEY);
        beta = SerfAgent.start("beta", Map.of(), KEY, "-join=" + alpha.gossipAddress());
    }

    @AfterEach
    void stop() throws InterruptedException {
        java.close();
        alpha.close();
        beta.close();
    }

    @Test
    void javaNodeWithTheKeyJoinsAndStaysAlive() throws Exception {
        JavaNodes.Node j = java.start("java-1", Map.of("service", "x"), Keyring.fromBase64(List.of(KEY)));
        assertThat(j.node().join(List.of(alpha.gossipAddress()))).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(alpha.status("java-1")).isEqualTo("alive");
            assertThat(beta.status("java-1")).isEqualTo("alive");
            assertThat(j.statusOf("beta")).isEqualTo(MemberStatus.ALIVE);
        });
        // Stays alive through several probe rounds (probes, acks and gossip all encrypted).
        Thread.sleep(3000);
        assertThat(alpha.status("java-1")).isEqualTo("alive");
        assertThat(j.node().stats().drops()).doesNotContainKey(DropReason.DECRYPT);

        SerfAgent.Result keys = alpha.run("keys", "-list");
        assertThat(keys.output()).as(keys.output()).contains(KEY).contains("[3/3]");
    }

    @Test
    void javaNodeWithAWrongKeyCannotJoinAndNoneOfItsPacketsAreAccepted() throws Exception {
        JavaNodes.Node j = java.start("java-bad", Map.of(), Keyring.fromBase64(List.of(WRONG)));
        assertThat(j.node().join(List.of(alpha.gossipAddress()))).isZero();
        Thread.sleep(3000);
        assertThat(alpha.members()).doesNotContainKey("java-bad");
        assertThat(beta.members()).doesNotContainKey("java-bad");
        assertThat(j.node().members()).extracting(m -> m.name()).containsExactly("java-bad");
    }
}
