package dev.gossip.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

/** The sample's HTTP contract: /greeting, /hello (answeredBy; 5xx without greeters), actuator. */
class SampleContractTest {

    private final RestClient http = RestClient.create();

    @Test
    void frontendReachesBothGreetersAndFailsLoudlyWithoutThem() {
        try (SampleCluster cluster = new SampleCluster()) {
            ConfigurableApplicationContext frontend = cluster.start("frontend", "frontend-1");
            assertThat(cluster).isNotNull();
            // no greeter yet: a 5xx, never a silent fallback
            try {
                http.get().uri(SampleCluster.url(frontend, "/hello")).retrieve().body(Map.class);
                throw new AssertionError("expected a 5xx without greeters");
            } catch (HttpServerErrorException e) {
                assertThat(e.getStatusCode().value()).isEqualTo(502);
            }

            ConfigurableApplicationContext g1 = cluster.start("greeter", "greeter-1");
            ConfigurableApplicationContext g2 = cluster.start("greeter", "greeter-2");
            Map<String, Object> greeting = http.get().uri(SampleCluster.url(g1, "/greeting")).retrieve()
                    .body(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() { });
            assertThat(greeting).containsEntry("instanceId", "greeter-1").containsEntry("zone", "zone-a");

            DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
            await().atMost(Duration.ofSeconds(15)).until(() -> discovery.getInstances("greeter").size() == 2);
            Set<Object> answeredBy = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                answeredBy.add(http.get().uri(SampleCluster.url(frontend, "/hello")).retrieve().body(Map.class)
                        .get("answeredBy"));
            }
            assertThat(answeredBy).containsExactlyInAnyOrder("greeter-1", "greeter-2");

            String gossip = http.get().uri(SampleCluster.url(frontend, "/actuator/gossip")).retrieve().body(String.class);
            assertThat(gossip).contains("\"name\":\"greeter-1\"").contains("\"status\":\"alive\"").contains("\"tags\"");
            assertThat(http.get().uri(SampleCluster.url(g2, "/actuator/serviceregistry")).retrieve().body(String.class))
                    .contains("UP");
            assertThat(http.get().uri(SampleCluster.url(frontend, "/actuator/health")).retrieve().body(String.class))
                    .contains("\"gossip\"");
        }
    }

    @Test
    void theClientProfileCallsTheGreetersThroughTheCatalog() {
        try (SampleCluster cluster = new SampleCluster()) {
            ConfigurableApplicationContext g1 = cluster.start("greeter", "greeter-1");
            ConfigurableApplicationContext client = cluster.start("frontend,client", "client-1",
                    "--spring.cloud.gossip.client.catalog-urls=" + SampleCluster.url(g1, "/gossip/catalog"));
            assertThat(client.getBeanProvider(dev.gossip.core.GossipNode.class).getIfAvailable()).isNull();
            // the sample's catalog.enabled applies to members only: a thin client has a copy, not a view
            assertThat(client.getBeanProvider(dev.gossip.spring.catalog.CatalogFeed.class).getIfAvailable()).isNull();
            assertThat(http.get().uri(SampleCluster.url(client, "/hello")).retrieve().body(Map.class)
                    .get("answeredBy")).isEqualTo("greeter-1");
            assertThat(http.get().uri(SampleCluster.url(g1, "/gossip/catalog/v1/services")).retrieve()
                    .body(String.class)).contains("\"name\":\"greeter\"");
        }
    }
}
