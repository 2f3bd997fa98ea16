package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Restarting every greeter one after the other, gracefully, while a frontend keeps calling the
 * service, loses no request: each leaving greeter is OUT_OF_SERVICE and gone from the frontend's
 * load balancer before its web server stops.
 */
class RollingRestartTest {

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext greeter2;
    private ConfigurableApplicationContext frontend;
    private ConfigurableApplicationContext greeter1b;
    private ConfigurableApplicationContext greeter2b;
    private Traffic traffic;

    @AfterEach
    void stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        Apps.closeAll(frontend, greeter2b, greeter1b, greeter2, greeter1);
    }

    @Test
    void rollingRestartLosesNoRequest() throws InterruptedException {
        greeter1 = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(greeter1);
        greeter2 = Apps.greeter("greeter-2", seed);
        frontend = Apps.frontend("frontend-1", seed);
        String frontendSeed = Apps.gossipAddress(frontend);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 2);

        long begin = System.nanoTime();
        traffic = Apps.traffic(frontend, Duration.ofMillis(10), Duration.ofMinutes(3));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> traffic.served("greeter-1") > 0 && traffic.served("greeter-2") > 0);

        long t = System.nanoTime();
        Apps.close(greeter1);
        System.out.printf("greeter-1 closed gracefully in %d ms%n", Traffic.millis(t, System.nanoTime()));
        greeter1b = Apps.greeter("greeter-1b", frontendSeed);
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.served("greeter-1b") > 0);

        t = System.nanoTime();
        Apps.close(greeter2);
        System.out.printf("greeter-2 closed gracefully in %d ms%n", Traffic.millis(t, System.nanoTime()));
        greeter2b = Apps.greeter("greeter-2b", frontendSeed);
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.served("greeter-2b") > 0);
        // A little more traffic over the new pair, then stop.
        long served1b = traffic.served("greeter-1b");
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.served("greeter-1b") > served1b
                && traffic.served("greeter-2b") > 1);
        traffic.close();

        List<Traffic.Call> calls = traffic.calls();
        List<Traffic.Call> failures = traffic.failures();
        System.out.printf("rolling restart: %d requests in %d ms, %d failed; served by greeter-1 %d, greeter-2 %d,"
                        + " greeter-1b %d, greeter-2b %d%n", calls.size(), Traffic.millis(begin, System.nanoTime()),
                failures.size(), traffic.served("greeter-1"), traffic.served("greeter-2"),
                traffic.served("greeter-1b"), traffic.served("greeter-2b"));
        failures.stream().limit(5).forEach(f -> System.out.printf("  failed after %d ms at port %d: %s%n",
                Traffic.millis(begin, f.startNanos()), f.port(), f.error()));

        assertThat(failures).as("failed requests during the rolling restart").isEmpty();
        assertThat(traffic.served("greeter-1b")).as("requests served by greeter-1b").isPositive();
        assertThat(traffic.served("greeter-2b")).as("requests served by greeter-2b").isPositive();
        // greeter-2 left before greeter-2b started; wait for the view, not for the traffic
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("greeter").stream()
                .map(si -> si.getInstanceId()).collect(java.util.stream.Collectors.toSet())
                .equals(java.util.Set.of("greeter-1b", "greeter-2b")));
    }
}
