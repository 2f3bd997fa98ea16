package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.ReadyClock;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A greeter that starts while a frontend is calling the service gets traffic within a second of
 * being ready: its registration is a tag update, gossiped at once and pushed to the frontend's
 * load balancer without any polling or cache in between.
 */
class NewInstanceTrafficTest {

    private static final int ROUNDS = 3;

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext frontend;
    private ConfigurableApplicationContext greeter2;
    private Traffic traffic;

    @AfterEach
    void stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        Apps.closeAll(greeter2, frontend, greeter1);
    }

    @Test
    void newInstanceGetsTrafficWithinASecondOfBeingReady() throws InterruptedException {
        greeter1 = Apps.greeter("greeter-1", null);
        String seed = Apps.gossipAddress(greeter1);
        frontend = Apps.frontend("frontend-1", seed);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 1);

        traffic = Apps.traffic(frontend, Duration.ofMillis(5), Duration.ofMinutes(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.served("greeter-1") > 0);

        List<Long> chosenMs = new ArrayList<>();
        List<Long> answeredMs = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "greeter-2-" + round;
            ReadyClock clock = new ReadyClock();
            greeter2 = Apps.greeter(name, seed, clock);
            long returned = System.nanoTime();
            int port = Apps.httpPort(greeter2);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> traffic.served(name) > 0);
            long ready = clock.readyNanos();
            // The first call the load balancer sent to it, and the first answer from it.
            Traffic.Call chosen = traffic.first(c -> c.port() == port).orElseThrow();
            Traffic.Call answered = traffic.first(c -> name.equals(c.servedBy())).orElseThrow();
            long toChosen = Traffic.millis(ready, chosen.startNanos());
            long toAnswered = Traffic.millis(ready, answered.endNanos());
            chosenMs.add(toChosen);
            answeredMs.add(toAnswered);
            System.out.printf("round %d: new instance got traffic after %d ms (first call sent %d ms after"
                            + " readiness, answered after %d ms; SpringApplication.run returned %d ms after readiness)%n",
                    round, toChosen, toChosen, toAnswered, Traffic.millis(ready, returned));

            Apps.close(greeter2);
            greeter2 = null;
            await().atMost(Duration.ofSeconds(30)).until(() -> discovery.getInstances("greeter").size() == 1);
        }

        long median = median(chosenMs);
        System.out.printf("new instance got traffic after %d ms (median of %s; first answers after %s ms)%n",
                median, chosenMs, answeredMs);
        assertThat(traffic.isRunning()).as("traffic loop still running").isTrue();
        assertThat(traffic.failures()).as("failed calls while instances came and went").isEmpty();
        assertThat(median).as("median ms from readiness to the first load-balanced call to it").isLessThan(1000);
        assertThat(chosenMs).as("each round, ms from readiness to first call").allSatisfy(
                ms -> assertThat(ms).isLessThan(2000));
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
