package dev.gossip.spring.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

/** The one-shot look-up a thin client's Config client makes before its context, and its watch, exist. */
class CatalogLookupTest {

    @Test
    void upInstancesFromTheFirstCatalogThatListsAny() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.snapshot = () -> FakeCatalog.snapshot(Map.of("configserver", List.of(
                    FakeCatalog.instance("configserver", "cs-1", 8888, true),
                    FakeCatalog.instance("configserver", "cs-2", 8889, false),
                    FakeCatalog.instance("configserver", "cs-3", 8890, false, "status", "DOWN"))));
            GossipClientProperties p = new GossipClientProperties();
            p.setCatalogUrls(List.of(URI.create("http://127.0.0.1:1/gossip/catalog"), catalog.url()));
            p.setUsername("reader");
            p.setPassword("secret");
            // UP only, the one not suspected first; the first URL refuses connections and is skipped
            assertThat(CatalogLookup.upInstances(p, "configserver")).extracting(ServiceInstance::getUri)
                    .containsExactly(URI.create("http://127.0.0.1:8889"), URI.create("http://127.0.0.1:8888"));
            assertThat(catalog.authorizations).containsExactly("Basic cmVhZGVyOnNlY3JldA==");

            p.setStartupTimeout(Duration.ofMillis(300));
            long start = System.nanoTime();
            assertThat(CatalogLookup.upInstances(p, "nobody")).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300),
                    Duration.ofMillis(900));
        }
    }
}
