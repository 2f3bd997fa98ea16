package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Traffic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The actuator endpoints an operator uses: {@code /actuator/serviceregistry} takes an instance out
 * of (and back into) every load balancer, {@code /actuator/gossip} shows the cluster and
 * {@code /actuator/health} has a {@code gossip} component. The whole set gossips encrypted, and no
 * endpoint shows the key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceRegistryEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String key;
    private static ConfigurableApplicationContext greeter1;
    private static ConfigurableApplicationContext greeter2;
    private static ConfigurableApplicationContext frontend;

    @BeforeAll
    static void start() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = Base64.getEncoder().encodeToString(k);
        String[] extra = {"--spring.cloud.gossip.encrypt-keys=" + key,
                "--management.endpoint.health.show-details=always"};
        try {
            greeter1 = Apps.greeter("greeter-1", null, extra);
            String seed = Apps.gossipAddress(greeter1);
            greeter2 = Apps.greeter("greeter-2", seed, extra);
            frontend = Apps.frontend("frontend-1", seed, extra);
            DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 2
                    && discovery.getServices().contains("frontend"));
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        Apps.closeAll(frontend, greeter2, greeter1);
    }

    @Test
    @Order(1)
    void outOfServiceTakesTheInstanceOutOfTheLoadBalancerAndUpBringsItBack() throws Exception {
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        LoadBalancerClient lb = frontend.getBean(LoadBalancerClient.class);

        // Warm up greeter-2's actuator (the first request initialises the DispatcherServlet), and the
        // frontend's load balancer.
        assertThat(get(greeter2, "/actuator/serviceregistry").statusCode()).isEqualTo(200);
        assertThat(chosen(lb)).containsExactlyInAnyOrder("greeter-1", "greeter-2");

        long t0 = System.nanoTime();
        HttpResponse<String> out = post(greeter2, "{\"status\":\"OUT_OF_SERVICE\"}");
        long answered = System.nanoTime();
        assertThat(out.statusCode()).as(out.body()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> !listsGreeter2(discovery) && !chosen(lb).contains("greeter-2"));
        long removedMs = Traffic.millis(t0, System.nanoTime());
        System.out.printf("OUT_OF_SERVICE removed greeter-2 from the frontend's choices after %d ms"
                + " (from sending the POST; it answered after %d ms)%n", removedMs, Traffic.millis(t0, answered));

        assertThat(calledInstances(20)).as("who answers 20 load-balanced calls").containsExactly("greeter-1");
        JsonNode status = JSON.readTree(get(greeter2, "/actuator/serviceregistry").body());
        System.out.println("GET /actuator/serviceregistry: " + status);
        assertThat(status.get("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(status.get("operatorStatus").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(status.get("registered").asBoolean()).isTrue();
        assertThat(status.get("node").asString()).isEqualTo("greeter-2");

        t0 = System.nanoTime();
        HttpResponse<String> up = post(greeter2, "{\"status\":\"UP\"}");
        assertThat(up.statusCode()).as(up.body()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> listsGreeter2(discovery) && chosen(lb).contains("greeter-2"));
        long backMs = Traffic.millis(t0, System.nanoTime());
        System.out.printf("UP brought greeter-2 back after %d ms%n", backMs);
        assertThat(calledInstances(20)).containsExactlyInAnyOrder("greeter-1", "greeter-2");
        assertThat(JSON.readTree(get(greeter2, "/actuator/serviceregistry").body()).get("status").asString())
                .isEqualTo("UP");

        assertThat(removedMs).as("ms until OUT_OF_SERVICE took greeter-2 out of the frontend's choices")
                .isLessThan(1000);
    }

    @Test
    @Order(2)
    void anInvalidStatusIsRefusedWithTheReason() throws Exception {
        HttpResponse<String> bad = post(greeter2, "{\"status\":\"SLEEPY\"}");
        System.out.printf("POST {\"status\":\"SLEEPY\"}: %d %s%n", bad.statusCode(), bad.body());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("SLEEPY").contains("UP, OUT_OF_SERVICE or DOWN");
        // Nothing changed.
        assertThat(JSON.readTree(get(greeter2, "/actuator/serviceregistry").body()).get("status").asString())
                .isEqualTo("UP");
    }

    @Test
    @Order(3)
    void gossipEndpointListsMembersWithoutKeyMaterial() throws Exception {
        HttpResponse<String> r = get(frontend, "/actuator/gossip");
        assertThat(r.statusCode()).isEqualTo(200);
        System.out.println("GET /actuator/gossip: " + r.body());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("node").asString()).isEqualTo("frontend-1");
        assertThat(body.get("encrypted").asBoolean()).isTrue();
        Map<String, JsonNode> members = new java.util.TreeMap<>();
        body.get("members").forEach(m -> members.put(m.get("name").asString(), m));
        assertThat(members).containsOnlyKeys("greeter-1", "greeter-2", "frontend-1");
        members.forEach((name, m) -> {
            assertThat(m.get("address").asString()).as(name).matches("127\\.0\\.0\\.1:\\d+");
            // alive, or briefly suspect on a loaded machine: both are an alive member
            assertThat(m.get("status").asString()).as(name).isIn("alive", "suspect");
        });
        assertThat(members.get("greeter-2").get("address").asString()).isEqualTo(Apps.gossipAddress(greeter2));
        JsonNode g2 = members.get("greeter-2").get("tags");
        assertThat(g2.get("service").asString()).isEqualTo("greeter");
        assertThat(g2.get("status").asString()).isEqualTo("UP");
        assertThat(g2.get("port").asString()).isEqualTo(Integer.toString(Apps.httpPort(greeter2)));
        // The node's own entry carries its own tags too.
        JsonNode self = members.get("frontend-1");
        assertThat(self.get("local").asBoolean()).isTrue();
        assertThat(self.get("tags").get("service").asString()).isEqualTo("frontend");

        assertNoKeyMaterial(r.body());
    }

    @Test
    @Order(4)
    void healthHasAGossipComponent() throws Exception {
        HttpResponse<String> r = get(frontend, "/actuator/health");
        System.out.println("GET /actuator/health: " + r.body());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode gossip = JSON.readTree(r.body()).get("components").get("gossip");
        assertThat(gossip).as("gossip health component").isNotNull();
        assertThat(gossip.get("status").asString()).isEqualTo("UP");
        JsonNode details = gossip.get("details");
        assertThat(details.get("clusterSize").asInt()).isEqualTo(3);
        assertThat(details.get("members").get("alive").asInt()).isEqualTo(3);
        assertThat(details.get("node").asString()).isEqualTo("frontend-1");
        // Both gossip DiscoveryClients report, the blocking and the reactive one.
        JsonNode root = JSON.readTree(r.body()).get("components");
        assertThat(root.get("discoveryComposite").get("components").get("discoveryClient").get("details")
                .get("services").toString()).contains("greeter", "frontend");
        JsonNode reactive = root.get("reactiveDiscoveryClients").get("components")
                .get("Spring Cloud Gossip Discovery Client");
        assertThat(reactive).as("gossip reactive discovery client in health").isNotNull();
        assertThat(reactive.get("status").asString()).isEqualTo("UP");
        assertThat(reactive.get("details").get("services").toString()).contains("greeter", "frontend");
        assertNoKeyMaterial(r.body());
    }

    private static void assertNoKeyMaterial(String body) {
        byte[] k = Base64.getDecoder().decode(key);
        assertThat(body).doesNotContain(key)
                .doesNotContain(key.substring(0, 16))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(k))
                .doesNotContain(java.util.HexFormat.of().formatHex(k));
    }

    private static boolean listsGreeter2(DiscoveryClient discovery) {
        return discovery.getInstances("greeter").stream().anyMatch(si -> si.getInstanceId().equals("greeter-2"));
    }

    /** Instances the frontend's load balancer picks in a few tries (round robin: both, if offered). */
    private static Set<String> chosen(LoadBalancerClient lb) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ids.add(lb.choose("greeter").getInstanceId());
        }
        return ids;
    }

    private static Set<Object> calledInstances(int calls) {
        RestClient client = frontend.getBean(RestClient.Builder.class).build();
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < calls; i++) {
            seen.add(client.get().uri("http://greeter/greeting").retrieve().body(MAP).get("instanceId"));
        }
        return seen;
    }

    private static HttpResponse<String> post(ConfigurableApplicationContext app, String json)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(app, "/actuator/serviceregistry"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(ConfigurableApplicationContext app, String path)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(app, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext app, String path) {
        return URI.create("http://127.0.0.1:" + Apps.httpPort(app) + path);
    }
}
