package dev.gossip.acceptance.openfeign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.testsupport.Choices;
import dev.gossip.testsupport.Crash;
import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.Suspicions;
import dev.gossip.testsupport.Teardown;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
        GreeterClient client = startGreetersAndFrontend();
        String frontendSeed = Launcher.gossipAddress(frontend);
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);

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

    /**
     * One greeter dies (HTTP port refusing, gossip gone without a word, as after kill -9) between
     * two calls of a loop: no Feign call fails. The refused call quarantines the instance, has it
     * probed out of turn, and is sent again (Feign's retryer) to the other greeter.
     */
    @Test
    void aDyingGreeterFailsNoFeignCall() throws Exception {
        GreeterClient client = startGreetersAndFrontend();
        Choices choices = Choices.record(frontend);
        Suspicions atGreeter1 = Suspicions.of(greeter1.getBean(GossipNode.class), "greeter-2");
        AtomicLong died = new AtomicLong();
        traffic = Traffic.start("feign", seq -> {
            if (seq == 60) {
                died.set(Crash.crash(greeter2));
            }
            return client.greeting();
        }, Duration.ofMillis(20), Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> died.get() != 0 && atGreeter1.firstAfter(died.get()).isPresent());
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        traffic.close();

        long death = died.get();
        List<Traffic.Call> after = traffic.calls().stream().filter(c -> c.startNanos() >= death).toList();
        Choices.Attempt refused = choices.firstFailure("greeter-2").orElseThrow();
        long suspected = Traffic.millis(death, atGreeter1.firstAfter(death).getAsLong());
        System.out.printf("Feign: %d calls after greeter-2 died, %d failed; greeter-2 chosen after its refused"
                        + " connection: %d; suspected at greeter-1 after %d ms%n", after.size(),
                after.stream().filter(c -> !c.ok()).count(), choices.after(refused.endNanos(), "greeter-2").size(),
                suspected);

        assertThat(after).as("calls after the death").hasSizeGreaterThan(20)
                .allSatisfy(c -> assertThat(c.ok()).as("%s", c).isTrue());
        assertThat(choices.after(refused.endNanos(), "greeter-2")).as("greeter-2 chosen again").isEmpty();
        assertThat(suspected).as("ms until greeter-1 suspects greeter-2").isBetween(900L, 1_500L);
    }

    /** greeter-1, greeter-2 and the Feign frontend, which sees both; its Feign client. */
    private GreeterClient startGreetersAndFrontend() {
        greeter1 = greeter("greeter-1", null);
        String seed = Launcher.gossipAddress(greeter1);
        greeter2 = greeter("greeter-2", seed);
        frontend = Launcher.app(FeignApp.class).service("frontend").name("frontend-1").seed(seed)
                .args(FeignApp.ARGS).start();
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("greeter").size() == 2);
        return frontend.getBean(GreeterClient.class);
    }

    private static ConfigurableApplicationContext greeter(String name, String seed) {
        return Launcher.app(Greeter.class).service("greeter").name(name).seed(seed).start();
    }
}
