package dev.gossip.acceptance.openfeign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.Teardown;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@code @FeignClient("greeter")} finds the greeters through gossip: its calls are spread over
 * both instances, and replacing both, one after the other (start the new one, then close the old
 * one gracefully), under continuous Feign traffic fails no call.
 */
class OpenFeignTest {

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext greeter2;
    private ConfigurableApplicationContext greeter1b;
    private ConfigurableApplicationContext greeter2b;
    private ConfigurableApplicationContext frontend;
    private Traffic traffic;

    @AfterEach
    void stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        Teardown.discardAll(frontend, greeter2b, greeter1b, greeter2, greeter1);
    }

    @Test
    void feignCallsSpreadOverBothGreetersAndARollingRestartUnderTrafficFailsNone() throws Exception {
        greeter1 = greeter("greeter-1", null);
        String seed = Launcher.gossipAddress(greeter1);
        greeter2 = greeter("greeter-2", seed);
        frontend = Launcher.app(FeignApp.class).service("frontend").name("frontend-1").seed(seed)
                .args(FeignApp.ARGS).start();
        String frontendSeed = Launcher.gossipAddress(frontend);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("greeter").size() == 2);
        GreeterClient client = frontend.getBean(GreeterClient.class);

        Map<String, Long> spread = IntStream.range(0, 20).mapToObj(i -> client.greeting())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        System.out.println("20 Feign calls served by " + spread);
        // Round robin over a stable list of two: 10 each.
        assertThat(spread).containsOnlyKeys("greeter-1", "greeter-2");
        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(8L, 12L));

        long begin = System.nanoTime();
        traffic = Traffic.start("feign", seq -> client.greeting(), Duration.ofMillis(10), Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> traffic.served("greeter-1") > 0 && traffic.served("greeter-2") > 0);

        greeter1b = greeter("greeter-1b", frontendSeed);
        await().atMost(Duration.ofSeconds(10)).until(() -> traffic.served("greeter-1b") > 0);
        long closed1 = Teardown.close(greeter1);
        greeter2b = greeter("greeter-2b", frontendSeed);
        await().atMost(Duration.ofSeconds(10)).until(() -> traffic.served("greeter-2b") > 0);
        long closed2 = Teardown.close(greeter2);
        // Some more traffic over the new pair only, then stop.
        int sofar = traffic.calls().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> traffic.calls().size() >= sofar + 50);
        traffic.close();

        List<Traffic.Call> failures = traffic.failures();
        System.out.printf("rolling restart under Feign traffic: %d calls in %d ms, %d failed; served by greeter-1 %d,"
                        + " greeter-2 %d, greeter-1b %d, greeter-2b %d; graceful closes took %d and %d ms%n",
                traffic.calls().size(), Traffic.millis(begin, System.nanoTime()), failures.size(),
                traffic.served("greeter-1"), traffic.served("greeter-2"), traffic.served("greeter-1b"),
                traffic.served("greeter-2b"), closed1, closed2);
        failures.stream().limit(5).forEach(f -> System.out.printf("  failed call %d after %d ms: %s%n", f.seq(),
                Traffic.millis(begin, f.startNanos()), f.error()));

        assertThat(failures).as("failed Feign calls during the rolling restart").isEmpty();
        assertThat(traffic.calls().subList(sofar, traffic.calls().size()))
                .as("calls after both old greeters closed")
                .allSatisfy(c -> assertThat(c.servedBy()).isIn("greeter-1b", "greeter-2b"));
        assertThat(discovery.getInstances("greeter")).extracting(ServiceInstance::getInstanceId)
                .containsExactlyInAnyOrder("greeter-1b", "greeter-2b");
    }

    private static ConfigurableApplicationContext greeter(String name, String seed) {
        return Launcher.app(Greeter.class).service("greeter").name(name).seed(seed).start();
    }
}
