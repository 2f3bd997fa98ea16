package dev.gossip.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.spring.serviceregistry.GossipRegistration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/** The greeter starts and greets with discovery switched off, as apps do in tests. */
class DiscoveryOffTest {

    @Test
    void greeterAnswersWithItsConfiguredIdentityWithoutDiscovery() {
        try (SampleCluster cluster = new SampleCluster()) {
            ConfigurableApplicationContext greeter = cluster.start("greeter", "greeter-1",
                    "--spring.cloud.discovery.enabled=false");
            assertThat(greeter.getBeanProvider(GossipRegistration.class).getIfAvailable())
                    .as("no registration with discovery off").isNull();

            Map<String, Object> greeting = RestClient.create().get().uri(SampleCluster.url(greeter, "/greeting"))
                    .retrieve().body(new ParameterizedTypeReference<Map<String, Object>>() { });

            assertThat(greeting).containsEntry("message", "Hello from greeter-1")
                    .containsEntry("instanceId", "greeter-1")
                    .containsEntry("zone", "zone-a")
                    .containsEntry("count", 1);
        }
    }
}
