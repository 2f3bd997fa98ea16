package dev.gossip.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.testsupport.SerfCli;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An operator's {@code serf} CLI, through a real {@code serf agent} in the cluster, reaches the
 * sample apps: {@code serf event deploy v42} arrives at each app's {@code @EventListener}, and
 * {@code serf query whoami} collects every app's answer. Skipped (visibly) without the serf
 * binary, except under {@code CI=true}, where that is a failure.
 */
class DeployAndWhoamiSerfInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> APPS = List.of("greeter-1", "greeter-2", "frontend-1");

    @Test
    void serfEventReachesEveryAppsListenerAndSerfQueryCollectsEveryAppsAnswer() throws Exception {
        SerfCli.binary();
        try (SampleCluster cluster = new SampleCluster()) {
            Map<String, ConfigurableApplicationContext> apps = new TreeMap<>();
            apps.put("greeter-1", cluster.start("greeter", "greeter-1"));
            apps.put("greeter-2", cluster.start("greeter", "greeter-2"));
            apps.put("frontend-1", cluster.start("frontend", "frontend-1"));
            String seed = "127.0.0.1:" + apps.get("greeter-1").getBean(GossipNode.class).localAddress().getPort();

            try (SerfCli agent = SerfCli.startAgent("serf-ops", seed)) {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(agent.isAlive()).as("serf agent running; log: %s", agent.log()).isTrue();
                    assertThat(agent.run("members", "-status=alive")).contains(APPS);
                });

                agent.run("event", "deploy", "v42");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> apps.forEach((name, ctx) ->
                        assertThat(ctx.getBean(DeployLog.class).lastDeploy()).as("deploy seen by %s", name)
                                .isEqualTo("v42")));

                // Serf's default deadline on a small cluster is 3.2 s: every app answers well within it.
                JsonNode answers = JSON.readTree(agent.run("query", "-format=json", "whoami")).get("Responses");
                System.out.println("serf query whoami: " + answers);
                assertThat(names(answers)).as("answers to whoami; agent log: %s", agent.log())
                        .containsExactlyInAnyOrderElementsOf(APPS);
                for (String name : APPS) {
                    JsonNode me = JSON.readTree(answers.get(name).asString());
                    ConfigurableApplicationContext ctx = apps.get(name);
                    assertThat(me.get("node").asString()).isEqualTo(name);
                    assertThat(me.get("service").asString()).isEqualTo(name.substring(0, name.indexOf('-')));
                    assertThat(me.get("port").asInt()).isEqualTo(
                            ctx.getEnvironment().getProperty("local.server.port", Integer.class));
                    assertThat(me.get("lastDeploy").asString()).isEqualTo("v42");
                }
            }
        }
    }

    private static List<String> names(JsonNode responses) {
        return responses.propertyNames().stream().toList();
    }
}
