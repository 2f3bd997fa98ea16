package dev.gossip.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.MemberStatus;
import dev.gossip.core.rpc.RpcConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Force-leave across implementations: {@code serf force-leave} at a serf agent moves a failed Java
 * node to left on every member, and {@code serf force-leave -prune} at a Java node's RPC makes every
 * member, serf agents included, forget a failed serf agent.
 */
class ForceLeaveSerfInteropTest {

    private static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final Duration DETECT = Duration.ofSeconds(30);
    /** A leave intent is gossiped within a round or two (measured well under 1 s). */
    private static final Duration SPREAD = Duration.ofSeconds(3);

    private final JavaNodes java = new JavaNodes();
    private final List<SerfAgent> agents = new ArrayList<>();

    @BeforeEach
    void requireSerf() {
        SerfBinary.require();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        java.close();
        for (SerfAgent a : agents) {
            a.close();
        }
    }

    @Test
    void serfForceLeaveAtASerfAgentAndAtAJavaNodeReachesEveryMember() throws Exception {
        SerfAgent alpha = SerfAgent.start("alpha", Map.of(), null);
        agents.add(alpha);
        SerfAgent beta = SerfAgent.start("beta", Map.of(), null, "-join=" + alpha.gossipAddress());
        agents.add(beta);
        JavaNodes.Node j1 = java.start("java-1", Map.of(), null,
                b -> b.rpc(RpcConfig.builder().port(FreePorts.next()).build()));
        JavaNodes.Node j2 = java.start("java-2", Map.of(), null);
        j1.node().join(List.of(alpha.gossipAddress()));
        j2.node().join(List.of(alpha.gossipAddress()));
        await().atMost(CONVERGE).until(() -> alpha.members().values().stream()
                .filter(m -> m.get("status").asString().equals("alive")).count() == 4
                && j1.statusOf("beta") == MemberStatus.ALIVE && j1.statusOf("java-2") == MemberStatus.ALIVE);

        // Both die without a word; both are failed everywhere.
        j2.node().shutdown();
        beta.kill();
        await().atMost(DETECT).until(() -> alpha.status("java-2").equals("failed")
                && alpha.status("beta").equals("failed")
                && j1.statusOf("java-2") == MemberStatus.FAILED && j1.statusOf("beta") == MemberStatus.FAILED);

        // serf force-leave of the failed Java node, at the serf agent: left on the Java side too.
        SerfAgent.Result r = alpha.run("force-leave", "java-2");
        assertThat(r.exitCode()).as("serf force-leave: %s", r.output()).isZero();
        await().atMost(SPREAD).untilAsserted(() -> {
            assertThat(j1.statusOf("java-2")).isEqualTo(MemberStatus.LEFT);
            assertThat(alpha.status("java-2")).isEqualTo("left");
        });

        // serf force-leave -prune of the failed serf agent, at the Java node's RPC: the serf agent forgets it too.
        int javaRpc = j1.node().rpcServer().orElseThrow().address().getPort();
        r = SerfAgent.cli(SerfBinary.require(), javaRpc, "force-leave", "-prune", "beta");
        assertThat(r.exitCode()).as("serf force-leave -prune at java-1: %s", r.output()).isZero();
        await().atMost(SPREAD).untilAsserted(() -> {
            assertThat(alpha.members()).doesNotContainKey("beta");
            assertThat(j1.node().member("beta")).isEmpty();
        });
        // A force-leave is not a failure: the Java node saw one leave for java-2 after its failure.
        assertThat(j1.events()).filteredOn(e -> e instanceof dev.gossip.core.GossipEvent.MemberEvent me
                && me.type() == dev.gossip.core.GossipEvent.MemberEventType.LEAVE
                && me.members().get(0).name().equals("java-2")).hasSize(1);
    }
}
