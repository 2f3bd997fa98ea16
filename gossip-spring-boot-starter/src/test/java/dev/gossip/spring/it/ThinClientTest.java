package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.client.CatalogWatcher;
import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.testsupport.ReadyClock;
import dev.gossip.testsupport.Traffic;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;

/**
 * A thin client (spring.cloud.gossip.client.catalog-urls) that reaches the cluster over HTTP only
 * keeps up with it as a member does: it calls greeters through {@code @LoadBalanced}, a new greeter
 * gets its calls within a second of being ready, a crashed one is avoided as fast as by a member
 * frontend calling beside it, and losing the member it watches costs it nothing.
 */
class ThinClientTest {

    private static final String CATALOG = "--spring.cloud.gossip.catalog.enabled=true";

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext greeter2;
    private ConfigurableApplicationContext greeter3;
    private ConfigurableApplicationContext frontend;
    private ConfigurableApplicationContext client;
    private Traffic memberTraffic;
    private Traffic clientTraffic;

    @AfterEach
    void stop() throws InterruptedException {
        for (Traffic t : new Traffic[] {memberTraffic, clientTraffic}) {
            if (t != null) {
                t.close();
            }
        }
        Apps.closeAll(client, greeter3, greeter2, frontend, greeter1);
    }

    private static URI catalogOf(ConfigurableApplicationContext member) {
        return URI.create("http://127.0.0.1:" + Apps.httpPort(member) + "/gossip/catalog");
    }

    /** Records when the app's index first offers the instance at {@code port} no more, or only as a suspect. */
    private static Disposable verdictOn(ConfigurableApplicationContext app, int port, AtomicBoolean armed,
                                        AtomicLong at) {
        return app.getBean(ServiceIndex.class).watch("greeter").subscribe(list -> {
            boolean healthy = list.stream().anyMatch(i -> i.getPort() == port && !((GossipServiceInstance) i).isSuspect());
            if (armed.get() && !healthy) {
                at.compareAndSet(0, System.nanoTime());
            }
        });
    }

    /** Crash: the HTTP port refuses and the gossip node vanishes without a leave. */
    private static void crash(ConfigurableApplicationContext app) {
        Apps.stopWebServer(app);
        app.getBean(GossipNode.class).shutdown();
    }

    @Test
    void aThinClientKeepsUpWithTheClusterOverHttpOnly() throws InterruptedException {
        greeter1 = Apps.greeter("greeter-1", null, CATALOG);
        String seed = Apps.gossipAddress(greeter1);
        frontend = Apps.frontend("frontend-1", seed, CATALOG);
        // the client is told of the frontend's catalog only; it learns greeter-1's from the catalog
        client = Apps.start(Apps.Frontend.class, "client", "client-1", null,
                "--spring.cloud.gossip.client.catalog-urls=" + catalogOf(frontend));
        assertThat(client.getBeansOfType(GossipNode.class)).as("no gossip node in a thin client").isEmpty();
        CatalogWatcher watcher = client.getBean(CatalogWatcher.class);
        assertThat(watcher.catalogUrls()).contains(catalogOf(greeter1));
        DiscoveryClient discovery = client.getBean(DiscoveryClient.class);
        assertThat(discovery.getServices()).contains("greeter", "frontend");

        memberTraffic = Apps.traffic(frontend, Duration.ofMillis(5), Duration.ofMinutes(3));
        clientTraffic = Apps.traffic(client, Duration.ofMillis(5), Duration.ofMinutes(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> clientTraffic.served("greeter-1") > 0
                && memberTraffic.served("greeter-1") > 0);

        // A new greeter: calls from the client within a second of its readiness.
        ReadyClock clock = new ReadyClock();
        greeter2 = Apps.greeter("greeter-2", seed, clock, CATALOG);
        int port2 = Apps.httpPort(greeter2);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> clientTraffic.served("greeter-2") > 0 && memberTraffic.served("greeter-2") > 0);
        long clientNew = Traffic.millis(clock.readyNanos(), clientTraffic.first(c -> c.port() == port2)
                .orElseThrow().startNanos());
        long memberNew = Traffic.millis(clock.readyNanos(), memberTraffic.first(c -> c.port() == port2)
                .orElseThrow().startNanos());
        System.out.printf("new greeter: first call from the thin client %d ms after readiness, from the member"
                + " frontend %d ms%n", clientNew, memberNew);
        assertThat(clientNew).as("ms from readiness to the thin client's first call").isLessThan(1000);

        // A crash: the thin client stops calling it no later than the member does, and hears the member's
        // verdict (suspect, then gone) from the catalog within milliseconds of the member itself.
        AtomicLong memberVerdict = new AtomicLong();
        AtomicLong clientVerdict = new AtomicLong();
        AtomicBoolean crashing = new AtomicBoolean();
        Disposable memberWatch = verdictOn(frontend, port2, crashing, memberVerdict);
        Disposable clientWatch = verdictOn(client, port2, crashing, clientVerdict);
        crashing.set(true);
        long crashed = System.nanoTime();
        crash(greeter2);
        await().atMost(Duration.ofSeconds(15)).until(() -> !discovery.getInstances("greeter").stream()
                .anyMatch(i -> i.getPort() == port2));
        long clientLast = clientTraffic.last(c -> c.port() == port2 && c.startNanos() > crashed)
                .map(c -> Traffic.millis(crashed, c.startNanos())).orElse(0L);
        long memberLast = memberTraffic.last(c -> c.port() == port2 && c.startNanos() > crashed)
                .map(c -> Traffic.millis(crashed, c.startNanos())).orElse(0L);
        long clientFailed = clientTraffic.failures().stream().filter(c -> c.startNanos() > crashed).count();
        long memberFailed = memberTraffic.failures().stream().filter(c -> c.startNanos() > crashed).count();
        System.out.printf("crashed greeter: last call from the thin client %d ms after the crash, from the member"
                + " frontend %d ms; failed calls: client %d, member %d%n", clientLast, memberLast, clientFailed,
                memberFailed);
        assertThat(clientLast).as("ms until the thin client stopped calling the crashed greeter")
                .isLessThanOrEqualTo(memberLast + 100);
        // Calls caught by the crash fail (a connection cut mid-call), on the member as on the client; a refused
        // connection is retried on the other greeter and quarantines the dead one.
        assertThat(clientTraffic.failures().stream().filter(c -> c.startNanos() > crashed))
                .as("the thin client's failed calls").allSatisfy(c -> assertThat(c.port()).isEqualTo(port2));
        assertThat(clientFailed).as("the thin client's failed calls, against the member's")
                .isLessThanOrEqualTo(memberFailed + 1);
        await().atMost(Duration.ofSeconds(15)).until(() -> memberVerdict.get() != 0 && clientVerdict.get() != 0);
        memberWatch.dispose();
        clientWatch.dispose();
        System.out.printf("crashed greeter: suspected or gone in the member frontend's index %d ms after the crash,"
                + " in the thin client's %d ms%n", Traffic.millis(crashed, memberVerdict.get()),
                Traffic.millis(crashed, clientVerdict.get()));
        assertThat(Traffic.millis(memberVerdict.get(), clientVerdict.get()))
                .as("ms from the member's verdict to the thin client's (pushed through the catalog)")
                .isLessThan(100);

        // The watched member dies: the client moves to greeter-1's catalog and keeps up.
        memberTraffic.close();
        long lost = System.nanoTime();
        crash(frontend);
        await().atMost(Duration.ofSeconds(5)).until(() -> watcher.connectedTo().filter(catalogOf(greeter1)::equals)
                .isPresent());
        System.out.printf("watched member crashed: the thin client watches %s after %d ms%n",
                watcher.connectedTo().orElseThrow(), Traffic.millis(lost, System.nanoTime()));
        greeter3 = Apps.greeter("greeter-3", seed, CATALOG);
        await().atMost(Duration.ofSeconds(5)).until(() -> clientTraffic.served("greeter-3") > 0);
        List<Traffic.Call> afterLoss = clientTraffic.calls().stream().filter(c -> c.startNanos() > lost).toList();
        assertThat(afterLoss).as("calls after the watched member died").isNotEmpty()
                .allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    }
}
