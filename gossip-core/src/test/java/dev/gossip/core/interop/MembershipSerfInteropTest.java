package dev.gossip.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.MemberStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Java nodes and real serf agents in one cluster: joins, tags, leaves and failures. */
class MembershipSerfInteropTest {

    private static final Duration CONVERGE = Duration.ofSeconds(20);
    private static final Duration DETECT = Duration.ofSeconds(45);

    private final JavaNodes java = new JavaNodes();
    private final java.util.List<SerfAgent> agents = new java.util.ArrayList<>();

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

    private SerfAgent agent(String name, Map<String, String> tags, String... extra) throws Exception {
        SerfAgent a = SerfAgent.start(name, tags, null, extra);
        agents.add(a);
        return a;
    }

    @Test
    void javaNodeJoinsTwoSerfAgentsAndBothSidesSeeEveryoneWithTags() throws Exception {
        SerfAgent alpha = agent("alpha", Map.of("role", "web"));
        SerfAgent beta = agent("beta", Map.of("role", "db"), "-join=" + alpha.gossipAddress());
        JavaNodes.Node j = java.start("java-1", Map.of("service", "orders", "zone", "z1"), null);

        assertThat(j.node().join(List.of(alpha.gossipAddress()))).as("seeds reached").isEqualTo(1);

        await().atMost(CONVERGE).untilAsserted(() -> {
            for (SerfAgent a : List.of(alpha, beta)) {
                assertThat(a.status("java-1")).as("java-1 in serf members of %s", a.name).isEqualTo("alive");
                assertThat(a.tags("java-1")).containsEntry("service", "orders").containsEntry("zone", "z1");
            }
            assertThat(j.statusOf("alpha")).isEqualTo(MemberStatus.ALIVE);
            assertThat(j.statusOf("beta")).isEqualTo(MemberStatus.ALIVE);
            assertThat(j.tagsOf("alpha")).containsEntry("role", "web");
            assertThat(j.tagsOf("beta")).containsEntry("role", "db");
        });
    }

    @Test
    void serfAgentJoinsATwoNodeJavaCluster() throws Exception {
        JavaNodes.Node j1 = java.start("java-1", Map.of("service", "a"), null);
        JavaNodes.Node j2 = java.start("java-2", Map.of("service", "b"), null);
        assertThat(j2.node().join(List.of(j1.address()))).isEqualTo(1);

        SerfAgent alpha = agent("alpha", Map.of("role", "web"), "-join=" + j1.address());

        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(alpha.status("java-1")).isEqualTo("alive");
            assertThat(alpha.status("java-2")).isEqualTo("alive");
            assertThat(alpha.tags("java-2")).containsEntry("service", "b");
            for (JavaNodes.Node n : List.of(j1, j2)) {
                assertThat(n.statusOf("alpha")).isEqualTo(MemberStatus.ALIVE);
                assertThat(n.tagsOf("alpha")).containsEntry("role", "web");
            }
        });
    }

    @Test
    void tagChangesOnEitherSideAreMemberUpdatesOnTheOther() throws Exception {
        SerfAgent alpha = agent("alpha", Map.of("role", "web"));
        JavaNodes.Node j = java.start("java-1", Map.of("service", "orders"), null);
        j.node().join(List.of(alpha.gossipAddress()));
        await().atMost(CONVERGE).until(() -> j.statusOf("alpha") == MemberStatus.ALIVE
                && alpha.status("java-1").equals("alive"));

        assertThat(alpha.run("tags", "-set", "role=db").exitCode()).isZero();
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(j.tagsOf("alpha")).containsEntry("role", "db");
            assertThat(j.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                    GossipEvent.MemberEvent.class, me -> {
                        assertThat(me.type()).isEqualTo(GossipEvent.MemberEventType.UPDATE);
                        assertThat(me.members().get(0).name()).isEqualTo("alpha");
                    }));
        });

        j.node().setTags(Map.of("service", "orders", "status", "OUT_OF_SERVICE"));
        await().atMost(CONVERGE).untilAsserted(() -> {
            assertThat(alpha.tags("java-1")).containsEntry("status", "OUT_OF_SERVICE");
            assertThat(alpha.logText()).contains("member-update");
        });
    }

    @Test
    void leaveIsLeftInSerfKillIsFailedInJavaAndShutdownIsFailedInSerf() throws Exception {
        SerfAgent alpha = agent("alpha", Map.of());
        SerfAgent beta = agent("beta", Map.of(), "-join=" + alpha.gossipAddress());
        JavaNodes.Node j1 = java.start("java-1", Map.of(), null);
        JavaNodes.Node j2 = java.start("java-2", Map.of(), null);
        JavaNodes.Node j3 = java.start("java-3", Map.of(), null);
        for (JavaNodes.Node j : List.of(j1, j2, j3)) {
            j.node().join(List.of(alpha.gossipAddress()));
        }
        await().atMost(CONVERGE).until(() -> alpha.members().values().stream()
                .filter(m -> m.get("status").asString().equals("alive")).count() == 5
                && j1.statusOf("beta") == MemberStatus.ALIVE && j2.statusOf("beta") == MemberStatus.ALIVE);

        // graceful leave of a Java node: left in serf
        j2.node().leave().get();
        j2.node().shutdown();
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(alpha.status("java-2")).isEqualTo("left"));

        // at once (the two detections take a suspicion timeout each, so they run side by side):
        // kill -9 of a serf agent, failed in Java; shutdown without leave of a Java node, failed in serf
        long t0 = System.nanoTime();
        beta.kill();
        j3.node().shutdown();
        AtomicLong betaFailed = new AtomicLong();
        AtomicLong javaFailed = new AtomicLong();
        await().atMost(DETECT).untilAsserted(() -> {
            if (betaFailed.get() == 0 && j1.statusOf("beta") == MemberStatus.FAILED) {
                betaFailed.set(System.nanoTime());
            }
            if (javaFailed.get() == 0 && "failed".equals(alpha.status("java-3"))) {
                javaFailed.set(System.nanoTime());
            }
            assertThat(betaFailed.get()).as("beta failed at java-1").isPositive();
            assertThat(javaFailed.get()).as("java-3 failed at alpha").isPositive();
        });
        System.out.printf("serf agent kill -9 seen as failed by the Java node after %d ms%n",
                (betaFailed.get() - t0) / 1_000_000);
        System.out.printf("Java node shutdown seen as failed by serf after %d ms%n",
                (javaFailed.get() - t0) / 1_000_000);
    }
}
