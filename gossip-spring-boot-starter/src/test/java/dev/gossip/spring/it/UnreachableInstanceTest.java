package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.loadbalancer.UnreachableInstances;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A greeter whose HTTP port refuses while its gossip node lives on (an application hung or
 * stopping, a node the failure detector rightly keeps alive): the frontend's first refused
 * connection takes it out of the frontend's load balancer, and calls go to the other greeter.
 * Its node still answers a direct ping, so it is held (30 s), not retried at once.
 */
class UnreachableInstanceTest {

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext greeter2;
    private ConfigurableApplicationContext frontend;
    private Traffic traffic;

    @AfterEach
    void stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        Apps.closeAll(frontend, greeter2, greeter1);
    }

    @Test
    void aRefusedConnectionTakesTheInstanceOutWhileItsNodeStaysAlive() throws InterruptedException {
        greeter1 = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(greeter1);
        greeter2 = Apps.greeter("greeter-2", seed);
        frontend = Apps.frontend("frontend-1", seed);
        int port2 = Apps.httpPort(greeter2);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 2);
        traffic = Apps.traffic(frontend, Duration.ofMillis(10), Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> traffic.served("greeter-1") > 0 && traffic.served("greeter-2") > 0);

        long refused = System.nanoTime();
        Apps.stopWebServer(greeter2);
        UnreachableInstances unreachable = frontend.getBean(UnreachableInstances.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> unreachable.size() == 1);
        long held = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
        traffic.close();

        List<Traffic.Call> after = traffic.calls().stream().filter(c -> c.startNanos() > refused).toList();
        List<Traffic.Call> failed = after.stream().filter(c -> !c.ok()).toList();
        List<Traffic.Call> laterToRefusing = after.stream()
                .filter(c -> c.startNanos() > held && c.port() == port2).toList();
        System.out.printf("refused connections: %d of %d calls failed; held %d ms after the port closed;"
                        + " calls to it after that: %d%n", failed.size(), after.size(), Traffic.millis(refused, held),
                laterToRefusing.size());

        // The call in flight when the server stopped, and the first refused connection.
        assertThat(failed).as("only calls to greeter-2 until it is held fail")
                .hasSizeLessThanOrEqualTo(2).allSatisfy(c -> assertThat(c.port()).isEqualTo(port2))
                .allSatisfy(c -> assertThat(c.startNanos()).isLessThan(held));
        assertThat(laterToRefusing).as("calls to greeter-2 once it is held").isEmpty();
        assertThat(after.stream().filter(c -> c.startNanos() > held)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.servedBy()).isEqualTo("greeter-1"));
        assertThat(unreachable.size()).as("still held: its node answers, so it waits out the hold").isEqualTo(1);
        assertThat(discovery.getInstances("greeter")).as("the node itself stays in discovery, unsuspected").hasSize(2)
                .allSatisfy(si -> assertThat(((GossipServiceInstance) si).isSuspect()).isFalse());
    }
}
