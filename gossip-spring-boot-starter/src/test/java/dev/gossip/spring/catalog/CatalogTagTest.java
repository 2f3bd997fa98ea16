package dev.gossip.spring.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The catalog tag's URL, and the registry leaving it out when it would not fit. */
class CatalogTagTest {

    private static GossipRegistration registration(int port, Integer managementPort) {
        GossipRegistration r = new GossipRegistration("greeter", "greeter-1", "10.0.0.7", port, false, null, Map.of());
        r.setManagementPort(managementPort);
        return r;
    }

    @Test
    void theApplicationServersUrlWithItsContextPathOnceThePortIsKnown() {
        MockEnvironment env = new MockEnvironment().withProperty("server.servlet.context-path", "/g/");
        CatalogTag tag = CatalogTag.of(CatalogServer.APPLICATION, "/gossip/catalog", env, false);
        assertThat(tag.tags(registration(0, null))).isEmpty();
        assertThat(tag.tags(registration(8080, null)))
                .containsExactly(Map.entry(ServiceTags.CATALOG, "http://10.0.0.7:8080/g/gossip/catalog"));
    }

    @Test
    void theManagementServersPortSchemeAndBasePath() {
        MockEnvironment env = new MockEnvironment().withProperty("management.server.port", "9001")
                .withProperty("management.server.base-path", "/ops").withProperty("management.server.ssl.bundle", "ops");
        CatalogTag tag = CatalogTag.of(CatalogServer.MANAGEMENT, "/gossip/catalog", env, false);
        assertThat(tag.tags(registration(8080, null))).isEmpty(); // management server not started yet
        assertThat(tag.tags(registration(8080, 9001)))
                .containsExactly(Map.entry(ServiceTags.CATALOG, "https://10.0.0.7:9001/ops/gossip/catalog"));
        assertThat(CatalogTag.of(CatalogServer.NONE, "/gossip/catalog", env, false).tags(registration(8080, 9001)))
                .isEmpty();
    }

    @Test
    void anOptionalTagThatWouldNotFitIsLeftOut() {
        GossipNode node = GossipNode.create(GossipConfig.builder().nodeName("tag-test").bindAddress("127.0.0.1")
                .bindPort(0).build());
        try {
            node.start().join();
            GossipServiceRegistry registry = new GossipServiceRegistry(node, Map.of());
            String longPath = "/" + "x".repeat(600);
            registry.setOptionalTags(List.of(r -> Map.of(ServiceTags.CATALOG, "http://h:1" + longPath),
                    r -> Map.of("fits", "yes")));
            registry.register(registration(8080, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> node.localMember().orElseThrow().tags().containsKey("fits"));
            assertThat(node.localMember().orElseThrow().tags()).doesNotContainKey(ServiceTags.CATALOG)
                    .containsEntry(ServiceTags.SERVICE, "greeter");
        } finally {
            node.shutdown();
        }
    }
}
