package dev.gossip.compat.boot35;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gossip.spring.actuate.GossipHealthIndicator;
import dev.gossip.spring.discovery.GossipReactiveDiscoveryClient;
import dev.gossip.spring.loadbalancer.ApiVersioning;
import dev.gossip.spring.serviceregistry.HealthStatusFollower;
import dev.gossip.spring.serviceregistry.WebServerPortListener;
import dev.gossip.spring.support.GossipStartupException;
import dev.gossip.testsupport.Launcher;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * gossip-spring-boot3-starter on Boot 3.5: two web apps join one cluster, find each other through
 * the DiscoveryClient with the ports their web servers got, and call each other through
 * {@code @LoadBalanced} RestTemplate and RestClient; the line's adapters (health indicator, web-server
 * port listener, health-group following, reactive discovery health) are in place.
 */
class Boot35StarterTest {

    private static ConfigurableApplicationContext greeter;
    private static ConfigurableApplicationContext frontend;

    @BeforeAll
    static void start() {
        greeter = Boot35Apps.start("greeter", "greeter-1", null,
                "--spring.cloud.gossip.discovery.health-group=liveness",
                "--management.endpoint.health.probes.enabled=true", "--spring.cloud.gossip.catalog.enabled=true");
        frontend = Boot35Apps.start("frontend", "frontend-1", Launcher.gossipAddress(greeter));
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext ctx : new ConfigurableApplicationContext[] {frontend, greeter}) {
            if (ctx != null) {
                ctx.close();
            }
        }
    }

    @Test
    void eachAppDiscoversTheOtherWithItsWebServerPort() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertInstance(frontend, "greeter", Launcher.httpPort(greeter));
            assertInstance(greeter, "frontend", Launcher.httpPort(frontend));
        });
        assertThat(greeter.getBeansOfType(WebServerPortListener.class)).hasSize(1);
    }

    @Test
    void loadBalancedRestTemplateAndRestClientReachTheOtherApp() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(frontend.getBean(DiscoveryClient.class).getInstances("greeter")).isNotEmpty());
        RestTemplate template = frontend.getBean(RestTemplate.class);
        assertThat(template.getForObject("http://greeter/greeting", String.class)).isEqualTo("greeter-1");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(greeter.getBean(DiscoveryClient.class).getInstances("frontend")).isNotEmpty());
        RestClient client = greeter.getBean(RestClient.Builder.class).build();
        assertThat(client.get().uri("http://frontend/greeting").retrieve().body(String.class)).isEqualTo("frontend-1");
    }

    @Test
    void aThinClientCallsTheGreeterThroughItsCatalog() {
        String catalog = "http://127.0.0.1:" + Launcher.httpPort(greeter) + "/gossip/catalog";
        assertThat(RestClient.create().get().uri(catalog + "/v1/services/greeter").retrieve().body(String.class))
                .contains("\"member\":\"greeter-1\"");
        try (ConfigurableApplicationContext client = Boot35Apps.start("frontend", "client-1", null,
                "--spring.cloud.gossip.client.catalog-urls=" + catalog)) {
            assertThat(client.getBeansOfType(dev.gossip.core.GossipNode.class)).isEmpty();
            assertThat(client.getBean(RestTemplate.class).getForObject("http://greeter/greeting", String.class))
                    .isEqualTo("greeter-1");
        }
    }

    @Test
    void gossipHealthIsUpWithTheClusterSize() {
        assertThat(greeter.getBeansOfType(GossipHealthIndicator.class)).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var health = greeter.getBean(GossipHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("clusterSize", 2).containsEntry("node", "greeter-1");
        });
        // Boot 3.5's health endpoint shows it as component "gossip"
        var gossip = greeter.getBean(HealthEndpoint.class).healthForPath("gossip");
        assertThat(gossip).isNotNull();
        assertThat(gossip.getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void healthGroupFollowingAndReactiveDiscoveryHealthUseBoot35sHealthTypes() {
        assertThat(greeter.getBeansOfType(HealthStatusFollower.class)).hasSize(1);
        assertThat(frontend.getBeansOfType(HealthStatusFollower.class)).isEmpty();
        assertThat(greeter.getBeansOfType(GossipReactiveDiscoveryClient.class)).hasSize(1);
        assertThat(greeter.containsBean("gossipReactiveDiscoveryClientHealthIndicator")).isTrue();
    }

    @Test
    void theApiVersionLoadBalancerStepFailsNamingTheProperty() {
        assertThatThrownBy(() -> ApiVersioning.ofBootLine().apply(null, false))
                .isInstanceOfSatisfying(GossipStartupException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("spring.cloud.loadbalancer.configurations");
                    assertThat(e.getMessage()).contains("Spring Boot 3.5");
                    assertThat(e.getAction()).contains("api-version");
                });
    }

    private static void assertInstance(ConfigurableApplicationContext ctx, String service, int port) {
        List<ServiceInstance> instances = ctx.getBean(DiscoveryClient.class).getInstances(service);
        assertThat(instances).as(service + " seen from " + ctx.getEnvironment().getProperty("spring.application.name"))
                .singleElement().satisfies(i -> assertThat(i.getPort()).isEqualTo(port));
    }
}
