package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/** Two greeters and a frontend in one JVM: every kind of @LoadBalanced client reaches both greeters. */
class LoadBalancedClientsTest {

    private static ConfigurableApplicationContext greeter1;
    private static ConfigurableApplicationContext greeter2;
    private static ConfigurableApplicationContext frontend;

    @BeforeAll
    static void start() {
        greeter1 = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(greeter1);
        greeter2 = Apps.greeter("greeter-2", seed);
        frontend = Apps.frontend("frontend-1", seed);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> discovery.getInstances("greeter").size() == 2
                && discovery.getServices().contains("frontend"));
    }

    @AfterAll
    static void stop() {
        Apps.closeAll(frontend, greeter2, greeter1);
    }

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    @Test
    void restClientReachesBothGreeters() {
        RestClient client = frontend.getBean(RestClient.Builder.class).build();
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(client.get().uri("http://greeter/greeting").retrieve().body(JSON).get("instanceId"));
        }
        assertThat(seen).containsExactlyInAnyOrder("greeter-1", "greeter-2");
    }

    @Test
    void restTemplateReachesBothGreeters() {
        RestTemplate template = frontend.getBean(RestTemplate.class);
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(template.getForObject("http://greeter/greeting", Map.class).get("instanceId"));
        }
        assertThat(seen).containsExactlyInAnyOrder("greeter-1", "greeter-2");
    }

    @Test
    void webClientReachesBothGreeters() {
        WebClient client = frontend.getBean(WebClient.Builder.class).build();
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            seen.add(client.get().uri("http://greeter/greeting").retrieve().bodyToMono(JSON).block().get("instanceId"));
        }
        assertThat(seen).containsExactlyInAnyOrder("greeter-1", "greeter-2");
    }

    @Test
    void discoveryClientListsServicesWithTagsAsMetadata() {
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        assertThat(discovery.getServices()).contains("greeter", "frontend");
        assertThat(discovery.getInstances("greeter")).allSatisfy(si -> {
            assertThat(si.getHost()).isEqualTo("127.0.0.1");
            assertThat(si.getPort()).isPositive();
            assertThat(si.getMetadata()).containsEntry("service", "greeter").containsEntry("status", "UP");
        });
    }
}
