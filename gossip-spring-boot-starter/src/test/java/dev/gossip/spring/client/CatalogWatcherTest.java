package dev.gossip.spring.client;

import static dev.gossip.spring.client.FakeCatalog.instance;
import static dev.gossip.spring.client.FakeCatalog.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gossip.spring.discovery.GossipServiceInstance;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;

class CatalogWatcherTest {

    private CatalogWatcher watcher;

    @AfterEach
    void stop() throws InterruptedException {
        if (watcher != null) {
            watcher.destroy();
        }
    }

    private CatalogWatcher watch(URI... urls) throws InterruptedException {
        GossipClientProperties p = new GossipClientProperties();
        p.setCatalogUrls(List.of(urls));
        p.setKeepAliveTimeout(Duration.ofMillis(900));
        p.setReconnectDelay(Duration.ofMillis(200));
        p.setStartupTimeout(Duration.ofSeconds(3));
        p.setUsername("reader");
        p.setPassword("secret");
        watcher = new CatalogWatcher(p, Set.of("UP"));
        watcher.afterPropertiesSet();
        return watcher;
    }

    private static List<String> members(List<ServiceInstance> instances) {
        return instances.stream().map(i -> ((GossipServiceInstance) i).getMemberName()).toList();
    }

    @Test
    void followsTheSnapshotThenEachChange() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.snapshot = () -> snapshot(Map.of("greeter", List.of(instance("greeter", "g1", 8081, false))));
            watch(catalog.url());
            // the start waited for the snapshot
            assertThat(members(watcher.index().instances("greeter"))).containsExactly("g1");
            assertThat(catalog.authorizations).containsExactly("Basic cmVhZGVyOnNlY3JldA==");

            catalog.send("greeter", instance("greeter", "g1", 8081, false), instance("greeter", "g2", 8082, true));
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.index().instances("greeter").size() == 2);
            GossipServiceInstance g2 = (GossipServiceInstance) watcher.index().instances("GREETER").get(1);
            assertThat(g2.isSuspect()).isTrue();
            assertThat(g2.getUri()).isEqualTo(URI.create("http://127.0.0.1:8082"));

            // g1 moves to another service: the removal may come after the addition, and must not undo it
            catalog.send("other", instance("other", "g1", 9000, false));
            catalog.send("greeter", instance("greeter", "g2", 8082, false));
            await().atMost(Duration.ofSeconds(2)).until(() -> members(watcher.index().instances("greeter"))
                    .equals(List.of("g2")) && !watcher.index().instances("other").isEmpty());
            assertThat(watcher.index().services()).containsExactly("greeter", "other");

            catalog.send("greeter");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.index().services().equals(List.of("other")));
            assertThat(watcher.events()).isEqualTo(5);
            assertThat(watcher.dropped()).isZero();
            watcher.probe();
        }
    }

    @Test
    void failsOverToTheNextCatalogAndResyncsFromItsSnapshot() throws Exception {
        try (FakeCatalog a = new FakeCatalog(); FakeCatalog b = new FakeCatalog()) {
            a.snapshot = () -> snapshot(Map.of("greeter", List.of(instance("greeter", "g1", 8081, false),
                    instance("greeter", "g2", 8082, false))));
            b.snapshot = () -> snapshot(Map.of("greeter", List.of(instance("greeter", "g2", 8082, false))));
            watch(a.url(), b.url());
            URI first = watcher.connectedTo().orElseThrow();
            FakeCatalog watched = first.equals(a.url()) ? a : b;
            FakeCatalog other = watched == a ? b : a;

            long start = System.nanoTime();
            watched.close(); // the watched member dies
            await().atMost(Duration.ofSeconds(2)).until(() -> other.url().equals(watcher.connectedTo().orElse(null)));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).as("failover took %d ms", ms).isLessThan(1000);
            // the other catalog's snapshot is the whole truth
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.index().instances("greeter").size()
                    == (other == a ? 2 : 1));
        }
    }

    @Test
    void learnsCatalogsFromTheCatalogSoTheConfiguredListMayGoStale() throws Exception {
        try (FakeCatalog seed = new FakeCatalog(); FakeCatalog learnt = new FakeCatalog()) {
            String tagged = instance("frontend", "f1", 8090, false, "catalog", learnt.url().toString());
            seed.snapshot = () -> snapshot(Map.of("frontend", List.of(tagged)));
            learnt.snapshot = seed.snapshot;
            watch(seed.url());
            assertThat(watcher.catalogUrls()).containsExactly(seed.url(), learnt.url());

            seed.close(); // the only configured URL is gone for good
            await().atMost(Duration.ofSeconds(2)).until(() -> learnt.url().equals(watcher.connectedTo().orElse(null)));
            assertThat(watcher.index().instances("frontend")).hasSize(1);
        }
    }

    @Test
    void aSilentCatalogIsLeftAfterTheKeepAliveTimeout() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            watch(catalog.url());
            assertThat(catalog.watches.get()).isEqualTo(1);
            // nothing is sent, not even a keep-alive: the watch is dropped after 0.9 s and made again
            await().atMost(Duration.ofSeconds(3)).until(() -> catalog.watches.get() >= 2);
            catalog.sendRaw(": keep-alive\n\n");
        }
    }

    @Test
    void badEventsAreCountedAndRestartTheWatch() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.snapshot = () -> snapshot(Map.of("greeter", List.of(instance("greeter", "g1", 8081, false))));
            watch(catalog.url());
            catalog.sendRaw("event: service\ndata: {\"service\": \"greeter\", \"instances\": [{\"member\": 7}]}\n\n");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.dropped() == 1 && catalog.watches.get() == 2);
            catalog.sendRaw("event: service\ndata: {not json\n\n");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.dropped() == 2 && catalog.watches.get() == 3);
            // an event type this client does not know is skipped, not an error
            catalog.sendRaw("event: future\ndata: {}\n\n");
            catalog.send("greeter");
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.index().services().isEmpty());
            assertThat(watcher.dropped()).isEqualTo(2);
            assertThat(members(watcher.index().instances("greeter"))).isEmpty();
        }
    }

    @Test
    void refusedWatchesAreRetriedAndTheHealthProbeFailsAfterTheKeepAliveTimeout() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.status = 401;
            GossipClientProperties p = new GossipClientProperties();
            p.setCatalogUrls(List.of(catalog.url()));
            p.setKeepAliveTimeout(Duration.ofMillis(500));
            p.setReconnectDelay(Duration.ofMillis(100));
            p.setStartupTimeout(Duration.ofMillis(300));
            watcher = new CatalogWatcher(p, Set.of("UP"));
            watcher.afterPropertiesSet(); // starts without instances
            assertThat(watcher.index().services()).isEmpty();
            await().atMost(Duration.ofSeconds(2)).until(() -> catalog.watches.get() >= 3);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThatThrownBy(watcher::probe)
                    .hasMessageContaining("No gossip catalog reached"));
            catalog.status = 200;
            await().atMost(Duration.ofSeconds(2)).until(() -> watcher.connectedTo().isPresent());
            watcher.probe();
        }
    }
}
