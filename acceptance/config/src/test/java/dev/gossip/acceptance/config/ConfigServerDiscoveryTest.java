package dev.gossip.acceptance.config;

import static dev.gossip.acceptance.config.ConfigApps.client;
import static dev.gossip.acceptance.config.ConfigApps.others;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gossip.acceptance.config.ConfigApps.EnvironmentClock;
import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Discovery-first Spring Cloud Config over gossip: a Config client that knows only a gossip seed
 * finds the Config server by its service id and imports its properties before its context starts,
 * then runs on the very gossip node that found the server.
 */
@Timeout(180)
class ConfigServerDiscoveryTest {

    @TempDir
    static Path repo;

    static ConfigurableApplicationContext server;
    static GossipNode serverNode;
    static String seed;

    @BeforeAll
    static void startConfigServer() throws IOException {
        Files.writeString(repo.resolve("client-app.yml"), """
                greeting:
                  text: from-config-server
                spring.cloud.gossip.tags:
                  config-origin: config-server
                """);
        // a node setting a running node cannot adopt: the app must get a node of its own
        Files.writeString(repo.resolve("client-retimed.yml"), """
                greeting:
                  text: retimed-by-config-server
                spring.cloud.gossip.profile: local
                """);
        long start = System.nanoTime();
        server = ConfigApps.configServer("file:" + repo + "/");
        serverNode = server.getBean(GossipNode.class);
        seed = ConfigApps.gossipAddress(server);
        System.out.printf("config server started in %d ms, gossip at %s%n", millis(start), seed);
    }

    @AfterAll
    static void stopConfigServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Every test starts with the server alone in its cluster: earlier clients have left. */
    @BeforeEach
    void serverIsAlone() {
        await().atMost(Duration.ofSeconds(15)).until(() -> others(serverNode, MemberStatus.ALIVE).isEmpty());
    }

    @Test
    void clientImportsItsConfigFromTheServerItFoundThroughGossip() {
        EnvironmentClock clock = new EnvironmentClock("greeting.text", Set::of);
        try (ConfigurableApplicationContext client = client("client-app", seed, clock)) {
            long started = millis(clock);
            System.out.printf("client: config server properties in the environment after %d ms, context started"
                    + " after %d ms%n", clock.millisToEnvironment(), started);
            assertThat(clock.value()).isEqualTo("from-config-server");
            assertThat(client.getEnvironment().getProperty("greeting.text")).isEqualTo("from-config-server");
            // measured 1300-2900 ms on 2 busy cores (the gossip lookup itself 50-500 ms), and below the
            // 5 s join timeout: the client did not wait it out
            assertThat(clock.millisToEnvironment()).isLessThan(4000);
        }
    }

    @Test
    void aThinClientFindsTheServerInTheCatalogWithoutAGossipNode() {
        EnvironmentClock clock = new EnvironmentClock("greeting.text", Set::of);
        String catalog = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port")
                + "/gossip/catalog";
        try (ConfigurableApplicationContext client = client("client-app", seed, clock,
                "--spring.cloud.gossip.client.catalog-urls=" + catalog)) {
            System.out.printf("thin client: config server properties in the environment after %d ms%n",
                    clock.millisToEnvironment());
            assertThat(client.getEnvironment().getProperty("greeting.text")).isEqualTo("from-config-server");
            assertThat(client.getBeansOfType(GossipNode.class)).as("no gossip node, before or after start").isEmpty();
            assertThat(others(serverNode, MemberStatus.ALIVE)).as("nobody joined the cluster").isEmpty();
            assertThat(clock.millisToEnvironment()).isLessThan(4000);
        }
    }

    @Test
    void clientAppRunsOnTheGossipNodeThatFoundTheServer() {
        // client only: nothing re-tags the node after start, so the served tag shows the hand-over applied it
        EnvironmentClock clock = new EnvironmentClock("greeting.text",
                () -> others(serverNode, MemberStatus.ALIVE));
        String nodeName;
        try (ConfigurableApplicationContext client = client("client-app", seed, clock,
                "--spring.cloud.gossip.discovery.register=false")) {
            Set<String> atBootstrap = clock.snapshot();
            System.out.printf("client: members the server saw when the client's environment was ready: %s%n",
                    atBootstrap);
            assertThat(atBootstrap).hasSize(1);
            String bootstrapNode = atBootstrap.iterator().next();

            Map<String, GossipNode> nodes = client.getBeansOfType(GossipNode.class);
            assertThat(nodes).hasSize(1);
            GossipNode node = nodes.values().iterator().next();
            nodeName = node.name();
            assertThat(nodeName).isEqualTo(bootstrapNode).matches("client-app-[0-9a-f]{8}");
            assertThat(client.getEnvironment().getProperty("spring.cloud.gossip.node-name")).isEqualTo(nodeName);
            assertThat(node.tags()).containsEntry("config-origin", "config-server");
            // one node for the app: the server sees the bootstrap node, at the app node's port, and no other
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(others(serverNode, MemberStatus.ALIVE)).containsExactly(nodeName);
                assertThat(serverNode.member(nodeName).orElseThrow().port()).isEqualTo(node.localAddress().getPort());
                assertThat(serverNode.member(nodeName).orElseThrow().tags())
                        .containsEntry("config-origin", "config-server");
            });
        }
        // the context owned the node: closing it left the cluster
        await().atMost(Duration.ofSeconds(10)).until(() -> others(serverNode, MemberStatus.LEFT).contains(nodeName));
    }

    @Test
    void afterStartupTheConfigClientFollowsTheUpServerInstancesTheAppSees() throws Exception {
        EnvironmentClock clock = new EnvironmentClock("greeting.text", Set::of);
        // the app's own discovery also lists OUT_OF_SERVICE instances; the Config client must still get UP ones only
        try (ConfigurableApplicationContext client = client("client-app", seed, clock,
                "--spring.cloud.gossip.discovery.include-statuses=UP,OUT_OF_SERVICE")) {
            GossipNode clientNode = client.getBean(GossipNode.class);
            // the Config client's (package-private) monitor, which it promotes to a bean, holds the URIs
            Object monitor = client.getBean("configServerInstanceMonitor");
            Supplier<String[]> uris = () -> ReflectionTestUtils.invokeMethod(monitor, "getUri");
            String real = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port") + "/";
            assertThat(uris.get()).containsExactly(real);
            // a "configserver" that is not UP joins first, then one that is: each membership change makes the
            // Config client ask again (HeartbeatEvent), the second time with both in the app's index
            try (GossipNode draining = member("configserver-draining", Map.of("service", "configserver",
                    "port", "18002", "status", "OUT_OF_SERVICE"))) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> others(clientNode, MemberStatus.ALIVE).contains("configserver-draining"));
                long start = System.nanoTime();
                try (GossipNode second = member("configserver-second", Map.of("service", "configserver",
                        "port", "18001"))) {
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                            assertThat(uris.get()).containsExactlyInAnyOrder(real, "http://127.0.0.1:18001/"));
                    System.out.printf("client: config URIs follow a new configserver instance after %d ms%n",
                            millis(start));
                }
            }
        }
    }

    @Test
    void configServerChangingANodeSettingGetsTheAppANodeOfItsOwn() {
        EnvironmentClock clock = new EnvironmentClock("greeting.text",
                () -> others(serverNode, MemberStatus.ALIVE));
        try (ConfigurableApplicationContext client = client("client-retimed", seed, clock)) {
            assertThat(clock.value()).isEqualTo("retimed-by-config-server");
            assertThat(clock.snapshot()).hasSize(1);
            String bootstrapNode = clock.snapshot().iterator().next();
            GossipNode node = client.getBean(GossipNode.class);
            System.out.printf("client: bootstrap node %s released, the app runs %s%n", bootstrapNode, node.name());
            assertThat(node.name()).isNotEqualTo(bootstrapNode).startsWith("client-retimed-");
            assertThat(node.config().timings()).isEqualTo(Profile.LOCAL.timings());
            assertThat(client.getEnvironment().getProperty("spring.cloud.gossip.node-name")).isNull();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(others(serverNode, MemberStatus.LEFT)).contains(bootstrapNode);
                assertThat(others(serverNode, MemberStatus.ALIVE)).containsExactly(node.name());
            });
        }
    }

    @Test
    void optionalImportStartsWithoutTheServerAfterTheJoinTimeout() throws IOException {
        EnvironmentClock clock = new EnvironmentClock("greeting.text", Set::of);
        String nowhere = "127.0.0.1:" + ConfigApps.freePort();
        try (ConfigurableApplicationContext client = client("client-app", nowhere, clock,
                "--spring.config.import=optional:configserver:",
                "--spring.cloud.config.uri=http://" + nowhere, // not localhost:8888, which may be in use
                "--spring.cloud.gossip.join-timeout=2s")) {
            long waited = clock.millisToEnvironment();
            System.out.printf("client without a server: environment ready after %d ms (join-timeout 2000 ms),"
                    + " context started after %d ms%n", waited, millis(clock));
            assertThat(clock.value()).isNull();
            // measured 2150-2450 ms on 2 busy cores: the 2 s wait plus the start before the import
            assertThat(waited).isBetween(2000L, 4000L);
            assertThat(client.getBean(GossipNode.class).isRunning()).isTrue();
        }
    }

    @Test
    void withGossipDisabledTheClientDoesNotLookForTheServer() throws IOException {
        EnvironmentClock clock = new EnvironmentClock("greeting.text", Set::of);
        String nowhere = "127.0.0.1:" + ConfigApps.freePort();
        try (ConfigurableApplicationContext client = client("client-app", seed, clock,
                "--spring.config.import=optional:configserver:",
                "--spring.cloud.config.uri=http://" + nowhere,
                "--spring.cloud.gossip.enabled=false")) {
            System.out.printf("client with gossip disabled: environment ready after %d ms%n",
                    clock.millisToEnvironment());
            // the seed leads to the server, so a lookup would have found it
            assertThat(clock.value()).isNull();
            assertThat(client.getBeansOfType(GossipNode.class)).isEmpty();
            assertThat(others(serverNode, MemberStatus.ALIVE)).isEmpty();
        }
    }

    @Test
    void requiredImportWithoutTheServerFailsAndLeavesNoGossipNodeBehind() throws IOException {
        EnvironmentClock clock = new EnvironmentClock("greeting.text", Set::of);
        int port = ConfigApps.freePort();
        String nowhere = "127.0.0.1:" + ConfigApps.freePort();
        long start = System.nanoTime();
        assertThatThrownBy(() -> client("client-app", nowhere, clock,
                "--spring.cloud.config.uri=http://" + nowhere,
                "--spring.cloud.gossip.bind-port=" + port,
                "--spring.cloud.gossip.join-timeout=1s"))
                .hasStackTraceContaining("Could not locate PropertySource");
        long failed = millis(start);
        System.out.printf("client without a server, import required: failed after %d ms (join-timeout 1000 ms)%n",
                failed);
        // measured 1200-2500 ms on 2 busy cores: the 1 s wait, the failed fetch, the failure report
        assertThat(failed).isBetween(1000L, 3500L);
        // the bootstrap node was shut down with the failed start: its port is free again
        assertThat(ConfigApps.udpFree(port)).as("UDP %d free", port).isTrue();
        assertThat(ConfigApps.tcpFree(port)).as("TCP %d free", port).isTrue();
    }

    /** A bare gossip member (no Spring) with {@code tags}, joined to the server. */
    private static GossipNode member(String name, Map<String, String> tags) throws Exception {
        GossipNode node = GossipNode.create(GossipConfig.builder().nodeName(name).bindAddress("127.0.0.1").bindPort(0)
                .tags(tags).seeds(List.of(seed)).build());
        assertThat(node.start().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        return node;
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static long millis(EnvironmentClock clock) {
        return clock.millisSinceCreation();
    }
}
