package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.spring.discovery.GossipServiceInstance;
import dev.gossip.spring.loadbalancer.Quarantine;
import dev.gossip.testsupport.Choices;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

/**
 * A greeter whose HTTP port refuses while its gossip node lives on (an application hung or
 * stopping, a node the failure detector rightly keeps alive): calls keep succeeding on the other
 * greeter; the frontend's first refused connection quarantines the instance; its node answers the
 * out-of-turn probe, so it stays quarantined for the whole quarantine (3 s here), and is then
 * tried again: no permanent exclusion. Tried again while still refusing, it is quarantined again.
 */
class HungApplicationTest {

    private static final Duration QUARANTINE = Duration.ofSeconds(3);

    private GreetersAndFrontend apps;

    @AfterEach
    void stop() throws InterruptedException {
        if (apps != null) {
            apps.close();
        }
    }

    @Test
    void aRefusingInstanceIsQuarantinedWhileItsNodeLivesAndTriedAgainAfterTheQuarantine() throws InterruptedException {
        apps = GreetersAndFrontend.start(
                "--spring.cloud.gossip.discovery.load-balancer.quarantine=" + QUARANTINE.toMillis() + "ms");
        ConfigurableApplicationContext frontend = apps.frontend;
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        Choices choices = Choices.record(frontend);
        RestClient client = frontend.getBean(RestClient.Builder.class).build();
        AtomicLong stopped = new AtomicLong();
        Traffic traffic = Traffic.start("greeter", seq -> {
            if (seq == 60) { // between two calls: none is in flight on greeter-2 when its port closes
                Apps.stopWebServer(apps.greeter2);
                stopped.set(System.nanoTime());
            }
            return client.get().uri("http://greeter/greeting").retrieve().body(String.class);
        }, Duration.ofMillis(20), Duration.ofMinutes(1));
        apps.traffic = traffic;
        await().atMost(Duration.ofSeconds(30)).until(() -> stopped.get() != 0);
        long refusing = stopped.get();
        Quarantine quarantine = frontend.getBean(Quarantine.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> quarantine.size() == 1);
        // Tried again once the quarantine is over, refused again, quarantined again.
        await().atMost(QUARANTINE.multipliedBy(3)).until(() -> quarantine.quarantined() >= 2);
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        traffic.close();

        List<Traffic.Call> after = traffic.calls().stream().filter(c -> c.startNanos() > refusing).toList();
        List<Choices.Attempt> refusals = choices.attempts().stream()
                .filter(a -> a.endNanos() > refusing && a.failed() && a.instanceId().equals("greeter-2")).toList();
        long firstRefusal = refusals.get(0).endNanos();
        long secondRefusal = refusals.get(1).endNanos();
        System.out.printf("refusing instance: %d calls, %d failed; refused at %d ms, quarantined, tried again and"
                        + " refused at %d ms; %d attempts at it in between%n", after.size(),
                after.stream().filter(c -> !c.ok()).count(), Traffic.millis(refusing, firstRefusal),
                Traffic.millis(refusing, secondRefusal),
                choices.after(firstRefusal, "greeter-2").stream().filter(a -> a.endNanos() < secondRefusal).count());

        assertThat(after).as("calls while greeter-2 refuses").isNotEmpty()
                .allSatisfy(c -> assertThat(c.ok()).as("%s", c).isTrue());
        assertThat(choices.after(firstRefusal, "greeter-2").stream().filter(a -> a.endNanos() < secondRefusal))
                .as("attempts at greeter-2 during its quarantine").isEmpty();
        assertThat(Traffic.millis(firstRefusal, secondRefusal)).as("ms until greeter-2 is tried again")
                .isBetween(QUARANTINE.toMillis(), QUARANTINE.toMillis() + 1_500);
        assertThat(discovery.getInstances("greeter")).as("the node itself stays in discovery, unsuspected").hasSize(2)
                .allSatisfy(si -> assertThat(((GossipServiceInstance) si).isSuspect()).isFalse());
    }
}
