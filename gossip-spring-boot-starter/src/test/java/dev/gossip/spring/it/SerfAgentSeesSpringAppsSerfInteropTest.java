package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.core.MemberStatus;
import dev.gossip.testsupport.SerfCli;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A real {@code serf agent} joins the Spring apps' gossip cluster and lists them, alive, with
 * their service tags: what {@code serf members} shows an operator. Skipped (visibly) without the
 * serf binary, except under {@code CI=true}, where that is a failure.
 */
class SerfAgentSeesSpringAppsSerfInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigurableApplicationContext greeter;
    private ConfigurableApplicationContext frontend;
    private SerfCli agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.close(); // killed by PID, like a crash; the Spring apps are closed right after
        }
        Apps.closeAll(frontend, greeter);
    }

    @Test
    void serfMembersListsTheSpringAppsWithTheirServiceTags() throws Exception {
        SerfCli.binary();
        greeter = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(greeter);
        frontend = Apps.frontend("frontend-1", seed);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 1
                && discovery.getServices().contains("frontend"));

        agent = SerfCli.startAgent("serf-1", seed);

        Map<String, JsonNode>[] seen = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(agent.isAlive()).as("serf agent running; log: %s", agent.log()).isTrue();
            seen[0] = members(agent);
            assertThat(seen[0]).containsKeys("serf-1", "greeter-1", "frontend-1");
            assertThat(tags(seen[0].get("greeter-1"))).containsEntry("status", "UP");
            assertThat(tags(seen[0].get("frontend-1"))).containsEntry("status", "UP");
        });
        Map<String, JsonNode> members = seen[0];
        System.out.println("serf members -format=json: " + members);

        JsonNode g = members.get("greeter-1");
        assertThat(g.get("status").asString()).isEqualTo("alive");
        assertThat(g.get("addr").asString()).isEqualTo(seed);
        assertThat(tags(g)).containsEntry("service", "greeter")
                .containsEntry("instance", "greeter-1")
                .containsEntry("port", Integer.toString(Apps.httpPort(greeter)))
                .containsEntry("status", "UP");
        JsonNode f = members.get("frontend-1");
        assertThat(f.get("status").asString()).isEqualTo("alive");
        assertThat(f.get("addr").asString()).isEqualTo(Apps.gossipAddress(frontend));
        assertThat(tags(f)).containsEntry("service", "frontend")
                .containsEntry("port", Integer.toString(Apps.httpPort(frontend)))
                .containsEntry("status", "UP");

        // And the other way round: the apps see the agent as a member, but not as a service.
        await().atMost(Duration.ofSeconds(15)).until(() -> frontend.getBean(GossipNode.class).member("serf-1")
                .map(m -> m.status() == MemberStatus.ALIVE).orElse(false));
        // The index is rebuilt by a listener after the member changed: build one from the same view now.
        assertThat(new ServiceIndex(frontend.getBean(GossipNode.class)::members, Set.of("UP")).services())
                .containsExactlyInAnyOrder("frontend", "greeter");
        assertThat(discovery.getServices()).containsExactlyInAnyOrder("frontend", "greeter");
    }

    private static Map<String, String> tags(JsonNode member) {
        Map<String, String> tags = new TreeMap<>();
        if (member.get("tags") != null) {
            member.get("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
        }
        return tags;
    }

    private static Map<String, JsonNode> members(SerfCli agent) throws IOException, InterruptedException {
        Map<String, JsonNode> byName = new TreeMap<>();
        for (JsonNode m : JSON.readTree(agent.run("members", "-format=json")).get("members")) {
            byName.put(m.get("name").asString(), m);
        }
        return byName;
    }
}
