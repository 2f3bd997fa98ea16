package dev.gossip.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipEvent;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** User events and queries cross between Java nodes and serf agents, both ways. */
class EventsAndQueriesSerfInteropTest {

    private final JavaNodes java = new JavaNodes();
    private SerfAgent alpha;
    private SerfAgent beta;
    private JavaNodes.Node j;

    @BeforeEach
    void cluster() throws Exception {
        SerfBinary.require();
        alpha = SerfAgent.start("alpha", Map.of("role", "web"), null);
        beta = SerfAgent.start("beta", Map.of("role", "db"), null, "-join=" + alpha.gossipAddress());
        j = java.start("java-1", Map.of("service", "orders"), null);
        j.node().addListener(e -> {
            if (e instanceof Query q && q.name().equals("whoami")) {
                q.respond(("hello from " + j.node().name()).getBytes(StandardCharsets.UTF_8));
            }
        });
        j.node().join(List.of(alpha.gossipAddress()));
        await().atMost(Duration.ofSeconds(20)).until(() -> j.statusOf("beta") == MemberStatus.ALIVE
                && alpha.status("java-1").equals("alive") && beta.status("java-1").equals("alive"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        java.close();
        if (alpha != null) {
            alpha.close();
        }
        if (beta != null) {
            beta.close();
        }
    }

    @Test
    void serfEventReachesTheJavaListener() throws Exception {
        assertThat(alpha.run("event", "deploy", "v42").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(j.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                        GossipEvent.UserEvent.class, u -> {
                            assertThat(u.name()).isEqualTo("deploy");
                            assertThat(new String(u.payload(), StandardCharsets.UTF_8)).isEqualTo("v42");
                        })));
    }

    @Test
    void javaEventReachesSerfAgents() {
        j.node().sendUserEvent("from-java", "payload-1".getBytes(StandardCharsets.UTF_8), false);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(alpha.logText()).contains("Received event: user-event: from-java");
            assertThat(beta.logText()).contains("Received event: user-event: from-java");
        });
    }

    @Test
    void serfQueryGetsTheJavaNodesResponse() throws Exception {
        SerfAgent.Result r = alpha.run("query", "-format=json", "-timeout=5s", "whoami", "?");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("java-1").contains("hello from java-1");
    }

    @Test
    void javaQueryGetsSerfAcks() {
        QueryHandle h = j.node().query("ping-all", new byte[0],
                QueryParams.defaults().withAck().withTimeout(Duration.ofSeconds(3)));
        h.finished().join();
        assertThat(h.acks()).contains("alpha", "beta", "java-1");
    }

    @Test
    void javaQueryWithNodeFilterOnlyReachesThatNode() {
        QueryHandle h = j.node().query("ping-one", new byte[0], QueryParams.defaults().withAck()
                .withNodes(List.of("beta")).withTimeout(Duration.ofSeconds(3)));
        h.finished().join();
        assertThat(h.acks()).containsExactly("beta");
    }

    @Test
    void serfReachabilityUsesTheInternalPingQuery() throws Exception {
        SerfAgent.Result r = alpha.run("reachability");
        assertThat(r.output()).as(r.output()).contains("live members: 3").contains("Successfully contacted all live nodes");
    }
}
