package dev.gossip.spring.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.Teardown;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The catalog of a running app over HTTP, read with the JDK's HttpClient: a {@code frontend} app
 * serving the catalog and a {@code greeter} app (catalog off) in one cluster on loopback. Each
 * subclass runs them on one web stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogAppTests {

    /**
     * What a change may take from the catalog member's gossip thread to the client: about 2x the
     * most measured on 2 loaded cores (0-21 ms).
     */
    static final Duration SERVER_SIDE_BOUND = Duration.ofMillis(50);
    /**
     * From the status change on the greeter to the client: the tag change waits for the next gossip
     * round (200 ms apart by default), then as above; measured 7-196 ms.
     */
    static final Duration END_TO_END_BOUND = Duration.ofMillis(400);

    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newHttpClient();
    ConfigurableApplicationContext catalog;
    ConfigurableApplicationContext greeter;
    String base;
    /** When the catalog member's index applied each version. */
    final Map<Long, Long> appliedNanos = new ConcurrentHashMap<>();

    /** The web stack's arguments, for both apps. */
    abstract String[] webArgs();

    @BeforeAll
    void start() {
        catalog = Launcher.app(Greeter.class).service("frontend").name("catalog-1")
                .args(webArgs())
                .args("--spring.cloud.gossip.catalog.enabled=true", "--spring.cloud.gossip.catalog.keep-alive=300ms",
                        "--spring.cloud.gossip.catalog.max-watchers=3")
                .start();
        greeter = Launcher.app(Greeter.class).service("greeter").name("greeter-1").seed(gossip(catalog))
                .args(webArgs())
                .args("--spring.cloud.gossip.discovery.zone=eu-1", "--spring.cloud.gossip.discovery.metadata.version=1.4.2")
                .start();
        base = "http://127.0.0.1:" + Launcher.httpPort(catalog) + "/gossip/catalog";
        catalog.getBean(ServiceIndex.class).addServiceListener((v, s, l) -> appliedNanos.putIfAbsent(v, System.nanoTime()));
        await().atMost(Duration.ofSeconds(10)).until(() -> catalog.getBean(ServiceIndex.class).allInstances("greeter").size() == 1
                && catalog.getBean(ServiceIndex.class).allInstances("frontend").size() == 1);
    }

    @AfterAll
    void stop() {
        Teardown.discardAll(greeter, catalog);
    }

    static String gossip(ConfigurableApplicationContext ctx) {
        return Launcher.gossipAddress(ctx);
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String body) {
        return JSON.readTree(body);
    }

    @Test
    void servicesListsEachServiceWithItsCounts() throws Exception {
        HttpResponse<String> r = get(base + "/v1/services");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode doc = json(r.body());
        assertThat(doc.get("index").asLong()).isPositive();
        assertThat(r.headers().firstValue(CatalogApi.INDEX_HEADER)).contains(doc.get("index").asString());
        assertThat(doc.get("services").toString()).isEqualTo(
                "[{\"name\":\"frontend\",\"instances\":1,\"healthy\":1},{\"name\":\"greeter\",\"instances\":1,\"healthy\":1}]");
    }

    @Test
    void aServiceInAnyCaseWithTheDocumentedFields() throws Exception {
        HttpResponse<String> r = get(base + "/v1/services/GREETER");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = json(r.body());
        assertThat(doc.get("service").asString()).isEqualTo("greeter");
        assertThat(doc.get("instances")).hasSize(1);
        JsonNode i = doc.get("instances").get(0);
        int port = Launcher.httpPort(greeter);
        assertThat(fieldNames(i)).containsExactly("serviceId", "instanceId", "member", "address", "host", "port",
                "secure", "uri", "zone", "status", "suspect", "metadata");
        assertThat(i.get("serviceId").asString()).isEqualTo("greeter");
        assertThat(i.get("instanceId").asString()).isEqualTo("greeter-1");
        assertThat(i.get("member").asString()).isEqualTo("greeter-1");
        assertThat(i.get("address").asString()).isEqualTo("127.0.0.1");
        String host = i.get("host").asString();
        assertThat(i.get("port").asInt()).isEqualTo(port);
        assertThat(i.get("secure").asBoolean()).isFalse();
        assertThat(i.get("uri").asString()).isEqualTo("http://" + host + ":" + port);
        assertThat(i.get("zone").asString()).isEqualTo("eu-1");
        assertThat(i.get("status").asString()).isEqualTo("UP");
        assertThat(i.get("suspect").asBoolean()).isFalse();
        JsonNode m = i.get("metadata");
        assertThat(m.get("service").asString()).isEqualTo("greeter");
        assertThat(m.get("port").asString()).isEqualTo(Integer.toString(port));
        assertThat(m.get("status").asString()).isEqualTo("UP");
        assertThat(m.get("zone").asString()).isEqualTo("eu-1");
        assertThat(m.get("version").asString()).isEqualTo("1.4.2");
        assertThat(m.has(ServiceTags.CATALOG)).as("the greeter serves no catalog").isFalse();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    @Test
    void anUnknownServiceHasNoInstancesYet() throws Exception {
        HttpResponse<String> r = get(base + "/v1/services/nobody");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"service\":\"nobody\"").contains("\"instances\":[]");
    }

    @Test
    void anUnknownPathIsA404InJson() throws Exception {
        for (String path : List.of("/v2/services", "/v1/nothing", "")) {
            HttpResponse<String> r = get(base + path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r.body()).get("error").asString()).contains("/gossip/catalog/v1/services");
            assertThat(r.headers().firstValue(CatalogApi.INDEX_HEADER)).isPresent();
        }
    }

    @Test
    void theCatalogIsOffByDefault() throws Exception {
        assertThat(get("http://127.0.0.1:" + Launcher.httpPort(greeter) + "/gossip/catalog/v1/services").statusCode())
                .isEqualTo(404);
    }

    /** The catalog member's own instance carries the catalog's URL, and that URL answers. */
    @Test
    void theCatalogTagNamesTheCatalogsUrl() throws Exception {
        GossipServiceInstance self = (GossipServiceInstance) greeter.getBean(ServiceIndex.class).allInstances("frontend").get(0);
        String url = self.getMetadata().get(ServiceTags.CATALOG);
        assertThat(url).isEqualTo("http://" + self.getHost() + ":" + Launcher.httpPort(catalog) + "/gossip/catalog");
        assertThat(get(url + "/v1/services").statusCode()).isEqualTo(200);
    }

    /**
     * The stream opens with the snapshot; a status change, a join and a leave each arrive as one
     * {@code service} event, within {@link #SERVER_SIDE_BOUND} of the catalog member applying it.
     */
    @Test
    void theWatchStreamDeliversTheSnapshotThenEachChange() throws Exception {
        GossipServiceRegistry registry = greeter.getBean(GossipServiceRegistry.class);
        try (SseClient sse = new SseClient(http, URI.create(base + "/v1/watch?service=greeter"))) {
            assertThat(sse.response.statusCode()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(sse.response.headers().firstValue(CatalogApi.INDEX_HEADER)).isPresent();
            SseClient.Event snapshot = sse.next(Duration.ofSeconds(2));
            assertThat(snapshot.event()).isEqualTo("snapshot");
            JsonNode s = json(snapshot.data());
            assertThat(s.get("index").asLong()).isEqualTo(snapshot.id());
            assertThat(fieldNames(s.get("services"))).containsExactly("greeter"); // filtered
            List<Duration> serverSide = new ArrayList<>();

            long changed = System.nanoTime();
            registry.setStatus(null, "OUT_OF_SERVICE");
            SseClient.Event e = withStatus(sse, "OUT_OF_SERVICE");
            Duration endToEnd = Duration.ofNanos(e.receivedNanos() - changed);
            serverSide.add(serverSide(e));
            JsonNode out = json(e.data());
            assertThat(e.event()).isEqualTo("service");
            assertThat(e.id()).isGreaterThanOrEqualTo(snapshot.id()).isEqualTo(out.get("index").asLong());
            assertThat(out.get("service").asString()).isEqualTo("greeter");
            assertThat(out.get("instances").get(0).get("status").asString()).isEqualTo("OUT_OF_SERVICE");
            registry.setStatus(null, "UP");
            e = withStatus(sse, "UP");
            serverSide.add(serverSide(e));
            assertThat(json(e.data()).get("instances").get(0).get("status").asString()).isEqualTo("UP");

            // a plain gossip node advertising a second greeter: joins and leaves in milliseconds, unlike an app
            GossipNode second = GossipNode.create(GossipConfig.builder().nodeName("greeter-2").bindAddress("127.0.0.1")
                    .bindPort(0).tags(Map.of(ServiceTags.SERVICE, "greeter", ServiceTags.PORT, "9")).build());
            try {
                second.start().join();
                second.join(List.of(gossip(catalog)));
                e = sse.next(Duration.ofSeconds(5));
                serverSide.add(serverSide(e));
                assertThat(json(e.data()).get("instances")).hasSize(2);
                second.leave().join();
            } finally {
                second.shutdown();
            }
            e = sse.next(Duration.ofSeconds(5));
            serverSide.add(serverSide(e));
            assertThat(json(e.data()).get("instances")).hasSize(1);

            System.out.printf("catalog %s: status change to client %d ms; applied to client %s ms%n",
                    getClass().getSimpleName(), endToEnd.toMillis(), serverSide.stream().map(d -> d.toNanos() / 1e6)
                            .map(ms -> String.format("%.1f", ms)).toList());
            assertThat(endToEnd).isLessThan(END_TO_END_BOUND);
            assertThat(serverSide).allMatch(d -> d.compareTo(SERVER_SIDE_BOUND) < 0);
        } finally {
            registry.setStatus(null, "UP"); // for the other tests, whatever happened here
        }
    }

    /**
     * The next event showing the greeter at {@code status}: an event of an earlier change (the greeter's
     * suspicion flickering on a busy machine) may come first, and is skipped.
     */
    private SseClient.Event withStatus(SseClient sse, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (true) {
            SseClient.Event e = sse.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())),
                    () -> "; the catalog member's index has " + catalog.getBean(ServiceIndex.class).allInstances("greeter"));
            JsonNode instances = json(e.data()).get("instances");
            if (instances.size() == 1 && instances.get(0).get("status").asString().equals(status)) {
                return e;
            }
            System.out.printf("catalog %s: skipped an earlier change's event %s%n", getClass().getSimpleName(), e);
        }
    }

    /**
     * From the catalog member applying the event's change to the client receiving it. The test's
     * listener runs after the feed's on the gossip thread, so the event can reach the client before
     * the listener has noted the time: wait for the note (the result may then be slightly negative).
     */
    private Duration serverSide(SseClient.Event e) {
        await().atMost(Duration.ofSeconds(1)).alias("when the catalog member applied index " + e.id() + " (" + e + ")")
                .until(() -> appliedNanos.containsKey(e.id()));
        return Duration.ofNanos(e.receivedNanos() - appliedNanos.get(e.id()));
    }

    @Test
    void keepAliveCommentsWhileNothingChanges() throws Exception {
        try (SseClient sse = new SseClient(http, URI.create(base + "/v1/watch?service=nobody"))) {
            assertThat(sse.next(Duration.ofSeconds(2)).event()).isEqualTo("snapshot");
            SseClient.Event comment = sse.nextAny(Duration.ofSeconds(2));
            assertThat(comment).isNotNull();
            assertThat(comment.event()).isNull();
            assertThat(comment.data()).isEqualTo(": keep-alive");
        }
    }

    /** max-watchers is 3 here: the fourth watch is refused with 503 and Retry-After; closed watches free their places. */
    @Test
    void oneWatcherTooManyIsA503WithRetryAfter() throws Exception {
        CatalogFeed feed = catalog.getBean(CatalogFeed.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.watchers() == 0); // other tests' streams closed
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(new SseClient(http, URI.create(base + "/v1/watch")));
            }
            HttpResponse<String> refused = get(base + "/v1/watch");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains(CatalogApi.RETRY_AFTER_SECONDS);
            assertThat(json(refused.body()).get("error").asString()).contains("max-watchers");
        } finally {
            for (SseClient c : open) {
                c.close();
            }
        }
        // a client that went is noticed at the latest when the next keep-alive cannot be written
        await().atMost(Duration.ofSeconds(3)).until(() -> feed.watchers() == 0);
    }
}
