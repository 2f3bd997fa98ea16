package dev.gossip.acceptance.bootadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.codecentric.boot.admin.server.cloud.discovery.InstanceDiscoveryListener;
import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.ReadyClock;
import dev.gossip.testsupport.Teardown;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Boot Admin finds every greeter through the gossip DiscoveryClient and, from the
 * instance metadata alone, builds a health URL that answers: for a plain app, for one whose
 * actuator is on a separate management port, and for one under a servlet context path.
 */
class SpringBootAdminTest {

    /**
     * Readiness until SBA's API lists the instance at the right health URL: gossip, a
     * HeartbeatEvent, SBA's discovery pass. Measured 0.08-0.31 s.
     */
    private static final long REGISTERED_MS = 700;
    /**
     * Readiness until SBA shows the instance UP: the above plus SBA's first health check, which is
     * cold on both sides for the first instance (SBA's WebClient, the app's first request).
     * Measured 0.15 s warm, 0.75-0.83 s cold.
     */
    private static final long UP_MS = 2_000;

    private ConfigurableApplicationContext admin;
    private ConfigurableApplicationContext plain;
    private ConfigurableApplicationContext managementPort;
    private ConfigurableApplicationContext contextPath;
    private Traffic poller;

    /** What SBA's API showed, and when. */
    record View(long nanos, Map<String, String> instances) {}

    @AfterEach
    void stop() throws InterruptedException {
        if (poller != null) {
            poller.close();
        }
        Teardown.discardAll(contextPath, managementPort, plain, admin);
    }

    @Test
    void adminServerRegistersEveryGreeterFromGossipMetadataAndSeesItUp() throws Exception {
        admin = Launcher.app(AdminApp.class).service("admin").name("admin-1").args(AdminApp.ARGS).start();
        assertThat(admin.getBeanProvider(InstanceDiscoveryListener.class).getIfAvailable())
                .as("SBA's discovery listener (spring-boot-admin-server-cloud) is active").isNotNull();
        String seed = Launcher.gossipAddress(admin);
        AdminApi api = new AdminApi(Launcher.httpPort(admin));
        ConcurrentLinkedQueue<View> views = new ConcurrentLinkedQueue<>();
        poller = Traffic.start("admin-api", seq -> {
            Map<String, String> instances = api.statusAndHealthUrl();
            views.add(new View(System.nanoTime(), instances)); // when the answer was in: no earlier than it is true
            return "admin-1";
        }, Duration.ofMillis(20), Duration.ofMinutes(1));

        ReadyClock plainReady = new ReadyClock();
        plain = greeter("greeter-plain", seed, plainReady);
        ReadyClock managementReady = new ReadyClock();
        managementPort = greeter("greeter-mgmt", seed, managementReady, "--management.server.port=0");
        ReadyClock contextReady = new ReadyClock();
        contextPath = greeter("greeter-ctx", seed, contextReady, "--server.servlet.context-path=/g");

        String host = "http://127.0.0.1:";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("greeter-plain", "UP " + host + Launcher.httpPort(plain) + "/actuator/health");
        expected.put("greeter-mgmt", "UP " + host
                + managementPort.getEnvironment().getProperty("local.management.port") + "/actuator/health");
        expected.put("greeter-ctx", "UP " + host + Launcher.httpPort(contextPath) + "/g/actuator/health");
        Map<String, Long> ready = Map.of("greeter-plain", plainReady.readyNanos(),
                "greeter-mgmt", managementReady.readyNanos(), "greeter-ctx", contextReady.readyNanos());

        try {
            // The last greeter is ready by now; the others had longer.
            await().atMost(Duration.ofMillis(UP_MS)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                    assertThat(latest(views)).as("SBA's instances as \"status healthUrl\"")
                            .containsAllEntriesOf(expected));
        } finally {
            poller.close();
            System.out.println("Spring Boot Admin /instances (status healthUrl): " + latest(views));
            expected.forEach((id, want) -> System.out.printf("  %s: listed at the right health URL %s ms, UP %s ms"
                    + " after its readiness%n", id, listedMs(views, ready.get(id), id, want), upMs(views, ready.get(id), id, want)));
        }
        expected.forEach((id, want) -> {
            assertThat(listedMs(views, ready.get(id), id, want))
                    .as("ms from %s's readiness until SBA listed it at its health URL", id).isLessThan(REGISTERED_MS);
            assertThat(upMs(views, ready.get(id), id, want))
                    .as("ms from %s's readiness until SBA showed it UP", id).isLessThan(UP_MS);
        });
    }

    /** ms from readiness to the first view listing {@code id} at the health URL of {@code want}, any status. */
    private static Long listedMs(ConcurrentLinkedQueue<View> views, long readyNanos, String id, String want) {
        String url = want.substring(want.indexOf(' ') + 1);
        return views.stream().filter(v -> v.instances().containsKey(id)
                        && v.instances().get(id).substring(v.instances().get(id).indexOf(' ') + 1).equals(url))
                .findFirst().map(v -> Traffic.millis(readyNanos, v.nanos())).orElse(null);
    }

    /** ms from readiness to the first view showing {@code id} exactly as {@code want} (UP at its health URL). */
    private static Long upMs(ConcurrentLinkedQueue<View> views, long readyNanos, String id, String want) {
        return views.stream().filter(v -> want.equals(v.instances().get(id))).findFirst()
                .map(v -> Traffic.millis(readyNanos, v.nanos())).orElse(null);
    }

    private static Map<String, String> latest(ConcurrentLinkedQueue<View> views) {
        View last = null;
        for (View v : views) {
            last = v;
        }
        return last == null ? Map.of() : last.instances();
    }

    private static ConfigurableApplicationContext greeter(String name, String seed, ReadyClock ready, String... args) {
        return Launcher.app(Greeter.class).service("greeter").name(name).seed(seed).listener(ready).args(args).start();
    }
}
