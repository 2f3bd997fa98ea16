package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Traffic;
import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.discovery.ServiceIndex;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;

/**
 * A greeter that crashes (gossip transport gone without a leave, HTTP port refusing) stops
 * getting traffic once the failure detector suspects it — before it is declared failed — and
 * disappears from discovery when it is.
 */
class CrashedInstanceTest {

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext greeter2;
    private ConfigurableApplicationContext frontend;
    private Traffic traffic;
    private Disposable watchIndex;
    private Disposable watchSupplier;

    /** A list the frontend saw, and when. */
    record Seen(long nanos, List<ServiceInstance> instances) {
        boolean lists(String name) {
            return instances.stream().anyMatch(si -> si.getInstanceId().equals(name));
        }

        boolean suspects(String name) {
            return instances.stream().anyMatch(si -> si.getInstanceId().equals(name)
                    && si instanceof GossipServiceInstance g && g.isSuspect());
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        if (watchIndex != null) {
            watchIndex.dispose();
        }
        if (watchSupplier != null) {
            watchSupplier.dispose();
        }
        Apps.closeAll(frontend, greeter2, greeter1);
    }

    @Test
    void crashedInstanceStopsGettingTrafficOnceSuspectedAndLeavesDiscoveryWhenFailed() throws InterruptedException {
        greeter1 = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(greeter1);
        greeter2 = Apps.greeter("greeter-2", seed);
        frontend = Apps.frontend("frontend-1", seed);
        int port2 = Apps.httpPort(greeter2);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 2);

        // What the gossip index holds (with suspicion flags), and what the load balancer is offered.
        ConcurrentLinkedQueue<Seen> index = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Seen> offered = new ConcurrentLinkedQueue<>();
        watchIndex = frontend.getBean(ServiceIndex.class).watch("greeter")
                .subscribe(l -> index.add(new Seen(System.nanoTime(), l)));
        ServiceInstanceListSupplier supplier = frontend.getBean(LoadBalancerClientFactory.class)
                .getInstance("greeter", ServiceInstanceListSupplier.class);
        watchSupplier = supplier.get().subscribe(l -> offered.add(new Seen(System.nanoTime(), l)));

        traffic = Apps.traffic(frontend, Duration.ofMillis(10), Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> traffic.served("greeter-1") > 0 && traffic.served("greeter-2") > 0);

        // Crash: the HTTP port refuses and the gossip node vanishes without a word.
        long crash = System.nanoTime();
        Apps.stopWebServer(greeter2);
        greeter2.getBean(GossipNode.class).shutdown();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> discovery.getInstances("greeter").stream().noneMatch(si -> si.getInstanceId().equals("greeter-2")));
        long dropped = System.nanoTime();
        // Keep calling a little: nothing may go to greeter-2 any more.
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        traffic.close();

        Optional<Seen> suspected = index.stream().filter(s -> s.nanos() > crash && s.suspects("greeter-2")).findFirst();
        Optional<Seen> excluded = offered.stream().filter(s -> s.nanos() > crash && !s.lists("greeter-2")).findFirst();
        Optional<Traffic.Call> lastToCrashed = traffic.last(c -> c.port() == port2);
        long lastCallMs = lastToCrashed.map(c -> Traffic.millis(crash, c.startNanos())).orElse(0L);
        List<Traffic.Call> afterCrash = traffic.calls().stream().filter(c -> c.startNanos() > crash).toList();
        long failed = afterCrash.stream().filter(c -> !c.ok()).count();

        System.out.printf("crashed instance stopped receiving traffic after %d ms (last load-balanced call to it"
                        + " sent then)%n", lastCallMs);
        System.out.printf("  suspected by the frontend after %s ms; load balancer stopped being offered it after %s ms;"
                        + " DiscoveryClient dropped it after %d ms%n",
                suspected.map(s -> Long.toString(Traffic.millis(crash, s.nanos()))).orElse("(never seen)"),
                excluded.map(s -> Long.toString(Traffic.millis(crash, s.nanos()))).orElse("(never)"),
                Traffic.millis(crash, dropped));
        System.out.printf("  calls after the crash: %d, failed: %d (all at greeter-2's port: %s)%n",
                afterCrash.size(), failed, afterCrash.stream().filter(c -> !c.ok()).allMatch(c -> c.port() == port2));
        afterCrash.stream().filter(c -> !c.ok()).limit(1)
                .forEach(c -> System.out.println("  e.g. " + c.error()));

        assertThat(Traffic.millis(crash, dropped)).as("ms until DiscoveryClient dropped the crashed instance")
                .isLessThan(30_000);
        assertThat(excluded).as("the load balancer's list without greeter-2").isPresent();
        assertThat(afterCrash.stream().filter(c -> c.startNanos() > excluded.get().nanos()))
                .as("calls after the load balancer stopped being offered greeter-2")
                .isNotEmpty()
                .allSatisfy(c -> {
                    assertThat(c.port()).isNotEqualTo(port2);
                    assertThat(c.servedBy()).isEqualTo("greeter-1");
                });
        assertThat(afterCrash.stream().filter(c -> !c.ok()))
                .as("only calls sent to the crashed instance fail")
                .allSatisfy(c -> assertThat(c.port()).isEqualTo(port2));
        // Suspect avoidance: the load balancer skips a suspected node before it is declared failed.
        assertThat(suspected).as("the frontend saw greeter-2 suspected before it failed").isPresent();
        assertThat(Traffic.millis(suspected.get().nanos(), excluded.get().nanos()))
                .as("ms from suspicion to the load balancer's list without greeter-2 (same gossip event)")
                .isLessThan(50);
        assertThat(excluded.get().nanos()).as("skipped while suspected, before discovery dropped it")
                .isLessThan(dropped);
    }
}
