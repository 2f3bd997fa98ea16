package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * The matrix: each value of spring.cloud.loadbalancer.configurations, applied by a frontend to
 * two real greeters it finds through gossip, behaves as Spring Cloud documents it. Before the
 * starter composed with the presets, every one of these calls spread round-robin over both.
 * greeter-a: zone a, weight 3, API version 1.0; greeter-b: zone b, weight 1, API version 2.0,
 * health DOWN (only the health-check preset looks).
 */
class LoadBalancerPresetsTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    private static ConfigurableApplicationContext greeterA;
    private static ConfigurableApplicationContext greeterB;
    private static String seed;

    @BeforeAll
    static void greeters() {
        greeterA = Apps.greeter("greeter-a", null, "--spring.cloud.gossip.discovery.zone=a",
                "--spring.cloud.gossip.discovery.metadata.weight=3",
                "--spring.cloud.gossip.discovery.metadata.API_VERSION=1.0");
        seed = Apps.gossipAddress(greeterA);
        greeterB = Apps.greeter("greeter-b", seed, "--spring.cloud.gossip.discovery.zone=b",
                "--spring.cloud.gossip.discovery.metadata.weight=1",
                "--spring.cloud.gossip.discovery.metadata.API_VERSION=2.0", "--test.health=DOWN");
    }

    @AfterAll
    static void stop() {
        Apps.closeAll(greeterA, greeterB);
    }

    /** Who served each of {@code n} calls, from a frontend started with {@code properties}. */
    private static List<String> served(Class<?> app, int n, UnaryOperator<RestClient.RequestHeadersSpec<?>> request,
                                       String... properties) {
        ConfigurableApplicationContext frontend = Apps.start(app, "frontend", "frontend-presets", seed, properties);
        try {
            DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("greeter").size() == 2);
            RestClient client = frontend.getBean(RestClient.Builder.class).build();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(String.valueOf(request.apply(client.get().uri("http://greeter/greeting")).retrieve()
                        .body(JSON).get("instanceId")));
            }
            System.out.printf("%s: %s%n", String.join(" ", properties), ids);
            return ids;
        } finally {
            Apps.close(frontend);
        }
    }

    private static List<String> served(int n, String... properties) {
        return served(Apps.Frontend.class, n, r -> r, properties);
    }

    private static long count(List<String> ids, String id) {
        return ids.stream().filter(id::equals).count();
    }

    @Test
    void defaultSpreadsOverBoth() {
        assertThat(served(12)).contains("greeter-a", "greeter-b");
    }

    @Test
    void sameInstancePreferenceKeepsOne() {
        List<String> ids = served(12, "--spring.cloud.loadbalancer.configurations=same-instance-preference");
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void zonePreferenceKeepsTheFrontendsZone() {
        assertThat(served(12, "--spring.cloud.loadbalancer.configurations=zone-preference",
                "--spring.cloud.gossip.discovery.zone=b")).containsOnly("greeter-b");
    }

    @Test
    void weightedFollowsTheWeightMetadata() {
        List<String> ids = served(40, "--spring.cloud.loadbalancer.configurations=weighted");
        assertThat(count(ids, "greeter-a")).isBetween(28L, 32L); // 3 : 1
    }

    @Test
    void subsetOfOneKeepsOne() {
        List<String> ids = served(12, "--spring.cloud.loadbalancer.configurations=subset",
                "--spring.cloud.loadbalancer.subset.size=1");
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void requestBasedStickySessionFollowsTheCookie() {
        assertThat(served(Apps.Frontend.class, 12, r -> r.header("Cookie", "sc-lb-instance-id=greeter-b"),
                "--spring.cloud.loadbalancer.configurations=request-based-sticky-session"))
                .containsOnly("greeter-b");
    }

    @Test
    void apiVersionRoutesByTheRequestedVersion() {
        assertThat(served(Apps.Frontend.class, 12, r -> r.header("X-API-Version", "2.0"),
                "--spring.cloud.loadbalancer.configurations=api-version",
                "--spring.cloud.loadbalancer.api-version.header=X-API-Version")).containsOnly("greeter-b");
    }

    @Test
    void healthCheckSkipsTheInstanceWhoseHealthIsDown() {
        ConfigurableApplicationContext frontend = Apps.start(PlainWebClientFrontend.class, "frontend",
                "frontend-health", seed, "--spring.cloud.loadbalancer.configurations=health-check",
                "--spring.cloud.loadbalancer.health-check.interval=200ms");
        try {
            RestClient client = frontend.getBean(RestClient.Builder.class).build();
            // the first probe round decides; until then the supplier has no list
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> "greeter-a".equals(
                    client.get().uri("http://greeter/greeting").retrieve().body(JSON).get("instanceId")));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ids.add(String.valueOf(client.get().uri("http://greeter/greeting").retrieve().body(JSON)
                        .get("instanceId")));
            }
            System.out.printf("health-check: %s%n", ids);
            assertThat(ids).containsOnly("greeter-a");
        } finally {
            Apps.close(frontend);
        }
    }

    /**
     * The health-check preset probes instances with the WebClient.Builder bean; a load-balanced one
     * would take the instance's host for a service id. So this frontend keeps Boot's plain one.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class PlainWebClientFrontend {
        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedRestClientBuilder() {
            return RestClient.builder();
        }
    }
}
