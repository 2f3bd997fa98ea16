package dev.gossip.acceptance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Crash;
import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.ReadyClock;
import dev.gossip.testsupport.Teardown;
import dev.gossip.testsupport.Traffic;
import dev.gossip.testsupport.Traffic.Call;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.gateway.event.RefreshRoutesEvent;
import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;

/**
 * Spring Cloud Gateway with its discovery locator on, fed by the gossip DiscoveryClient: routes
 * appear for services that start after the gateway, new instances get traffic at once, a crashed
 * instance stops being routed to at its first refused connection (and is suspected soon after),
 * and a service that is only temporarily
 * out of service answers 503 rather than 404. One gateway serves the whole class (it starts before
 * any greeter); each test uses its own service id so that no test sees another's instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayRoutingTest {

    /** A new instance's first routed call after its readiness (brief: within 1 s). */
    private static final long NEW_INSTANCE_ROUTED_MS = 1_000;
    /**
     * Crash until the gateway stops choosing the instance: its first refused connection holds it
     * out of the gateway's load balancer (avoid-unreachable), before SWIM suspects it (1.0-1.9 s
     * on loopback). Measured: the last call routed to it started 20 ms before the crash.
     */
    private static final long CRASHED_UNROUTED_MS = 300;

    private ConfigurableApplicationContext gateway;
    private String seed;
    private String base;
    private final List<ConfigurableApplicationContext> greeters = new ArrayList<>();
    private Traffic traffic;
    private Disposable watch;

    /** A list the gateway's load balancer was offered, and when. */
    record Offered(long nanos, List<String> instanceIds) {}

    @BeforeAll
    void startGatewayBeforeAnyGreeter() {
        gateway = Launcher.app(GatewayApp.class).service("gateway").name("gateway-1").args(GatewayApp.ARGS).start();
        seed = Launcher.gossipAddress(gateway);
        base = "http://127.0.0.1:" + Launcher.httpPort(gateway);
    }

    @AfterEach
    void stopGreeters() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        if (watch != null) {
            watch.dispose();
        }
        // Gracefully: the gateway stays for the next test and should see them leave, not fail.
        Teardown.closeAll(greeters.toArray(ConfigurableApplicationContext[]::new));
        greeters.clear();
    }

    @AfterAll
    void stopGateway() {
        Teardown.discardAll(gateway);
    }

    @Test
    void routeAppearsForAGreeterStartedAfterTheGatewayAndEachNewGreeterIsRoutedWithinOneSecondOfReadiness()
            throws Exception {
        assertThat(gateway.getBean(DiscoveryClient.class).getServices()).doesNotContain("greeter");
        traffic = traffic("greeter");
        await().atMost(Duration.ofSeconds(5)).until(() -> !traffic.calls().isEmpty());

        ReadyClock ready1 = new ReadyClock();
        greeter("greeter", "greeter-1", ready1);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> traffic.served("greeter-1") > 0);
        ReadyClock ready2 = new ReadyClock();
        greeter("greeter", "greeter-2", ready2);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> traffic.served("greeter-2") > 0);
        traffic.close();

        long routed1 = Traffic.millis(ready1.readyNanos(), firstServedBy("greeter-1").endNanos());
        long routed2 = Traffic.millis(ready2.readyNanos(), firstServedBy("greeter-2").endNanos());
        Call firstOk = traffic.first(Call::ok).orElseThrow();
        List<Call> before = traffic.calls().stream().filter(c -> c.seq() < firstOk.seq()).toList();
        List<Call> failedAfter = traffic.calls().stream().filter(c -> c.seq() > firstOk.seq() && !c.ok()).toList();
        System.out.printf("route for a service that appeared after the gateway: greeter-1 routed %d ms after its"
                + " readiness (%d calls before: %s)%n", routed1, before.size(), before.isEmpty() ? "-" : before.get(0).error());
        System.out.printf("  second instance greeter-2 routed %d ms after its readiness; calls %d, failed after the"
                + " first success %d%n", routed2, traffic.calls().size(), failedAfter.size());

        assertThat(before).as("calls before greeter-1 existed: no route yet, so the route itself appeared")
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.error()).startsWith("java.io.IOException: HTTP 404"));
        assertThat(routed1).as("ms from greeter-1's readiness to its first call through the gateway (new route)")
                .isLessThan(NEW_INSTANCE_ROUTED_MS);
        assertThat(routed2).as("ms from greeter-2's readiness to its first call through the gateway (new instance)")
                .isLessThan(NEW_INSTANCE_ROUTED_MS);
        assertThat(failedAfter).as("failed calls once the route existed").isEmpty();
    }

    @Test
    void crashedGreeterStopsBeingRoutedAtItsFirstRefusedConnectionWhileTheSurvivorServesEveryCall() throws Exception {
        greeter("orders", "orders-1", null);
        ConfigurableApplicationContext orders2 = greeter("orders", "orders-2", null, Crash.CRASHABLE);
        int port2 = Launcher.httpPort(orders2);
        DiscoveryClient discovery = gateway.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("orders").size() == 2);

        ConcurrentLinkedQueue<Offered> offered = new ConcurrentLinkedQueue<>();
        ServiceInstanceListSupplier supplier = gateway.getBean(LoadBalancerClientFactory.class)
                .getInstance("orders", ServiceInstanceListSupplier.class);
        watch = supplier.get().subscribe(list -> offered.add(new Offered(System.nanoTime(),
                list.stream().map(ServiceInstance::getInstanceId).toList())));
        traffic = traffic("orders");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> traffic.served("orders-1") > 0 && traffic.served("orders-2") > 0);

        long crash = Crash.crash(orders2);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10))
                .until(() -> offered.stream().anyMatch(o -> o.nanos() > crash && !o.instanceIds().contains("orders-2")));
        long excluded = offered.stream().filter(o -> o.nanos() > crash && !o.instanceIds().contains("orders-2"))
                .findFirst().orElseThrow().nanos();
        // Enough calls after the exclusion to show where traffic goes (about 0.5 s of it).
        await().atMost(Duration.ofSeconds(10))
                .until(() -> traffic.calls().stream().filter(c -> c.startNanos() > excluded).count() >= 50);
        traffic.close();

        RoutedTo routedTo = gateway.getBean(RoutedTo.class);
        List<Call> afterCrash = traffic.calls().stream().filter(c -> c.startNanos() > crash).toList();
        List<Call> failed = afterCrash.stream().filter(c -> !c.ok()).toList();
        List<Call> afterExcluded = afterCrash.stream().filter(c -> c.startNanos() > excluded).toList();
        Optional<Call> lastToCrashed = traffic.last(c -> routedTo.port(callId("orders", c.seq())) == port2);
        long lastMs = lastToCrashed.map(c -> Traffic.millis(crash, c.startNanos())).orElse(0L);
        System.out.printf("crashed greeter last routed to %d ms after the crash; gateway's load balancer stopped being"
                + " offered it after %d ms%n", lastMs, Traffic.millis(crash, excluded));
        System.out.printf("  calls after the crash %d, failed %d (all sent to the crashed port: %s); after the"
                        + " exclusion %d, all served by orders-1: %s%n", afterCrash.size(), failed.size(),
                failed.stream().allMatch(c -> routedTo.port(callId("orders", c.seq())) == port2), afterExcluded.size(),
                afterExcluded.stream().allMatch(c -> "orders-1".equals(c.servedBy())));
        failed.stream().limit(1).forEach(c -> System.out.println("  e.g. " + c.error()));

        assertThat(lastToCrashed).as("some call was routed to orders-2 before the crash").isPresent();
        assertThat(lastMs).as("ms from the crash to the last call the gateway sent to the crashed greeter")
                .isLessThan(CRASHED_UNROUTED_MS);
        assertThat(afterExcluded).as("calls once the load balancer no longer had orders-2")
                .hasSizeGreaterThanOrEqualTo(50)
                .allSatisfy(c -> {
                    assertThat(c.servedBy()).as("call %d", c.seq()).isEqualTo("orders-1");
                    assertThat(routedTo.port(callId("orders", c.seq()))).isNotEqualTo(port2);
                });
        assertThat(afterCrash.stream().filter(c -> routedTo.port(callId("orders", c.seq())) == port2))
                .as("calls sent to the crashed greeter after the crash (only until its first refused connection)")
                .allSatisfy(c -> assertThat(c.ok()).as("call %d succeeded", c.seq()).isFalse());
        assertThat(failed).as("calls that failed after the crash were all sent to the crashed greeter")
                .allSatisfy(c -> assertThat(routedTo.port(callId("orders", c.seq()))).isEqualTo(port2));
    }

    @Test
    void serviceWhoseOnlyInstanceIsOutOfServiceAnswers503NotFound404() throws Exception {
        ConfigurableApplicationContext stock = greeter("stock", "stock-1", null);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    HttpResponse<String> r = Http.get(base + "/stock/greeting", null);
                    return r.statusCode() == 200 && r.body().equals("stock-1");
                });

        HttpResponse<String> posted = Http.postJson("http://127.0.0.1:" + Launcher.httpPort(stock)
                + "/actuator/serviceregistry", "{\"status\":\"OUT_OF_SERVICE\"}");
        assertThat(posted.statusCode()).as("POST /actuator/serviceregistry: %s", posted.body()).isEqualTo(200);
        DiscoveryClient discovery = gateway.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> discovery.getInstances("stock").stream()
                        .allMatch(si -> "OUT_OF_SERVICE".equals(si.getMetadata().get("status"))));
        // Routes follow discovery on each HeartbeatEvent; rebuilding them once more now that the
        // gateway has seen the change gives the settled state, not a race with that refresh.
        refreshRoutes();

        HttpResponse<String> answer = Http.get(base + "/stock/greeting", null);
        List<String> routes = gateway.getBean(RouteLocator.class).getRoutes().map(r -> r.getId()).collectList()
                .block(Duration.ofSeconds(5));
        System.out.printf("only instance OUT_OF_SERVICE: gateway answered %d %s; getServices %s; routes %s%n",
                answer.statusCode(), answer.body(), discovery.getServices(), routes);

        assertThat(answer.statusCode())
                .as("status through the gateway while stock's only instance is OUT_OF_SERVICE (404 = route gone)")
                .isEqualTo(503);
    }

    private ConfigurableApplicationContext greeter(String service, String name, ReadyClock clock, String... args) {
        Launcher launcher = Launcher.app(Greeter.class).service(service).name(name).seed(seed)
                .args("--spring.cloud.gateway.server.webflux.enabled=false") // a plain WebFlux app
                .args(args);
        if (clock != null) {
            launcher.listener(clock);
        }
        ConfigurableApplicationContext ctx = launcher.start();
        greeters.add(ctx);
        return ctx;
    }

    /** Calls {@code /<service>/greeting} through the gateway every 5 ms. */
    private Traffic traffic(String service) {
        return Traffic.start(service, seq -> Http.getOk(base + "/" + service + "/greeting", callId(service, seq)),
                Duration.ofMillis(5), Duration.ofMinutes(1));
    }

    private static String callId(String service, long seq) {
        return service + "-" + seq;
    }

    private Call firstServedBy(String instanceId) {
        return traffic.first(c -> instanceId.equals(c.servedBy())).orElseThrow();
    }

    /** Publishes RefreshRoutesEvent in the gateway and waits for the rebuilt route table. */
    private void refreshRoutes() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RefreshRoutesResultEvent> result = new AtomicReference<>();
        ApplicationListener<RefreshRoutesResultEvent> listener = e -> {
            result.compareAndSet(null, e);
            done.countDown();
        };
        gateway.addApplicationListener(listener);
        try {
            gateway.publishEvent(new RefreshRoutesEvent(this));
            assertThat(done.await(5, TimeUnit.SECONDS)).as("routes refreshed").isTrue();
            assertThat(result.get().isSuccess()).as("route refresh succeeded: %s", result.get().getThrowable()).isTrue();
        } finally {
            gateway.removeApplicationListener(listener);
        }
    }
}
