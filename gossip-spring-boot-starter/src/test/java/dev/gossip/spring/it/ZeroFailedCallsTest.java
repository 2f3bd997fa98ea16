package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.loadbalancer.ConnectRetries;
import dev.gossip.spring.loadbalancer.Quarantine;
import dev.gossip.testsupport.Choices;
import dev.gossip.testsupport.Crash;
import dev.gossip.testsupport.Suspicions;
import dev.gossip.testsupport.Traffic;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One of two greeters dies (HTTP port refusing, gossip node gone without a word, as after
 * {@code kill -9}) while the frontend calls in a loop: no call fails, for each client kind. The
 * first call to the dead instance is refused, quarantines it, has it probed out of turn and is
 * sent again to the other greeter; the dead instance is never chosen again; and the out-of-turn
 * probe's suspicion reaches every other node about a second after the death, where the probe
 * rounds alone take one to three.
 */
class ZeroFailedCallsTest {

    enum Client { REST_CLIENT, REST_TEMPLATE, WEB_CLIENT }

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    private GreetersAndFrontend apps;
    private ConfigurableApplicationContext frontend;

    @AfterEach
    void stop() throws InterruptedException {
        if (apps != null) {
            apps.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void noCallFailsWhenAGreeterDies(Client kind) throws InterruptedException {
        apps = GreetersAndFrontend.start();
        frontend = apps.frontend;
        ConfigurableApplicationContext greeter2 = apps.greeter2;
        Choices choices = Choices.record(frontend);
        Suspicions atGreeter1 = Suspicions.of(apps.greeter1.getBean(GossipNode.class), "greeter-2");
        Suspicions atFrontend = Suspicions.of(frontend.getBean(GossipNode.class), "greeter-2");
        AtomicLong died = new AtomicLong();

        // The death comes between two calls of the loop: a call in flight on a dying instance is
        // lost whatever the client does (it may have reached the server), and is not what this measures.
        Traffic.Caller call = caller(kind);
        Traffic traffic = Traffic.start("greeter", seq -> {
            if (died.get() == 0 && seq == 60) {
                died.set(Crash.crash(greeter2));
            }
            return call.call(seq);
        }, Duration.ofMillis(20), Duration.ofMinutes(1));
        apps.traffic = traffic;
        await().atMost(Duration.ofSeconds(20)).until(() -> died.get() != 0
                && atGreeter1.firstAfter(died.get()).isPresent() && atFrontend.firstAfter(died.get()).isPresent());
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        traffic.close();

        long death = died.get();
        long suspectedAtGreeter1 = atGreeter1.firstAfter(death).getAsLong();
        long suspectedAtFrontend = atFrontend.firstAfter(death).getAsLong();
        List<Traffic.Call> after = traffic.calls().stream().filter(c -> c.startNanos() >= death).toList();
        List<Traffic.Call> failed = after.stream().filter(c -> !c.ok()).toList();
        Choices.Attempt refused = choices.firstFailure("greeter-2").orElseThrow();
        List<Choices.Attempt> chosenLater = choices.after(refused.endNanos(), "greeter-2");
        ConnectRetries retries = frontend.getBean(ConnectRetries.class);
        long rate = after.size() * 1_000L / Math.max(1, Traffic.millis(death, after.get(after.size() - 1).startNanos()));
        System.out.printf("%s: %d calls after greeter-2 died (%d/s), %d failed; refused after %d ms, chosen again"
                        + " after that: %d; retries %d succeeded, %d failed; suspected at greeter-1 after %d ms,"
                        + " at the frontend after %d ms%n", kind, after.size(), rate, failed.size(),
                Traffic.millis(death, refused.endNanos()), chosenLater.size(), retries.succeeded(),
                retries.failedRetries(), Traffic.millis(death, suspectedAtGreeter1),
                Traffic.millis(death, suspectedAtFrontend));

        assertThat(rate).as("calls per second").isGreaterThanOrEqualTo(20);
        assertThat(failed).as("failed calls after the death").isEmpty();
        assertThat(refused.error()).as("the first call to the dead instance").containsIgnoringCase("refused");
        assertThat(chosenLater).as("greeter-2 chosen after its first refused connection").isEmpty();
        assertThat(retries.succeeded()).isGreaterThanOrEqualTo(1);
        assertThat(frontend.getBean(Quarantine.class).quarantined()).isGreaterThanOrEqualTo(1);
        MeterRegistry meters = frontend.getBean(MeterRegistry.class);
        assertThat(meters.get("gossip.loadbalancer.retries").tag("outcome", "succeeded").functionCounter().count())
                .isEqualTo(retries.succeeded());
        assertThat(meters.get("gossip.loadbalancer.quarantines").functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("gossip.probes.requested").functionCounter().count()).isGreaterThanOrEqualTo(1);
        // The out-of-turn probe concludes at the probe interval (1 s) and gossips at once.
        assertThat(Traffic.millis(death, suspectedAtGreeter1)).as("ms until greeter-1 suspects greeter-2")
                .isBetween(900L, 1_500L);
        assertThat(Traffic.millis(death, suspectedAtFrontend)).as("ms until the frontend suspects greeter-2")
                .isBetween(900L, 1_500L);
    }

    private Traffic.Caller caller(Client kind) {
        String url = "http://greeter/greeting";
        return switch (kind) {
            case REST_CLIENT -> {
                RestClient client = frontend.getBean(RestClient.Builder.class).build();
                yield seq -> String.valueOf(client.get().uri(url).retrieve().body(JSON).get("instanceId"));
            }
            case REST_TEMPLATE -> {
                RestTemplate template = frontend.getBean(RestTemplate.class);
                yield seq -> String.valueOf(template.getForObject(url, Map.class).get("instanceId"));
            }
            case WEB_CLIENT -> {
                WebClient client = frontend.getBean(WebClient.Builder.class).build();
                yield seq -> String.valueOf(client.get().uri(url).retrieve().bodyToMono(JSON).block().get("instanceId"));
            }
        };
    }
}
