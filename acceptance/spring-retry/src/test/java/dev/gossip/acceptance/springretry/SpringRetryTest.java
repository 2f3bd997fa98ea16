package dev.gossip.acceptance.springretry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.spring.loadbalancer.ConnectRetries;
import dev.gossip.testsupport.Crash;
import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.Teardown;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.client.loadbalancer.RetryLoadBalancerInterceptor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * With Spring Retry on the classpath, Spring Cloud's own retrying interceptor serves
 * {@code @LoadBalanced} clients, and its policy retries GETs only by default. A POST whose
 * connection to a dead greeter is refused still goes once to the other greeter (nothing reached
 * the server), and with {@code retry-connect-failures=false} it fails, as Spring Cloud alone does.
 */
class SpringRetryTest {

    private static final long CRASH_AT = 40;

    /** A frontend calling the greeters with a load-balanced RestClient. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Frontend {
        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedRestClientBuilder() {
            return RestClient.builder();
        }
    }

    private ConfigurableApplicationContext greeter1;
    private ConfigurableApplicationContext greeter2;
    private ConfigurableApplicationContext frontend;
    private Traffic traffic;

    @AfterEach
    void stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        Teardown.discardAll(frontend, greeter2, greeter1);
    }

    @ParameterizedTest(name = "retry-connect-failures={0}")
    @ValueSource(booleans = {true, false})
    void aPostRefusedByADeadGreeterGoesToTheOtherOne(boolean retryConnectFailures) throws Exception {
        greeter1 = Launcher.app(Greeter.class).service("greeter").name("greeter-1").start();
        String seed = Launcher.gossipAddress(greeter1);
        greeter2 = Launcher.app(Greeter.class).service("greeter").name("greeter-2").seed(seed).start();
        frontend = Launcher.app(Frontend.class).service("frontend").name("frontend-1").seed(seed)
                .args("--spring.cloud.gossip.discovery.register=false",
                        "--spring.cloud.gossip.discovery.load-balancer.retry-connect-failures=" + retryConnectFailures)
                .start();
        DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("greeter").size() == 2);
        assertThat(frontend.getBean(RetryLoadBalancerInterceptor.class)).as("Spring Cloud's retrying interceptor")
                .isNotNull();

        RestClient client = frontend.getBean(RestClient.Builder.class).build();
        AtomicLong died = new AtomicLong();
        traffic = Traffic.start("post", seq -> {
            if (seq == CRASH_AT) {
                died.set(Crash.crash(greeter2));
            }
            return client.post().uri("http://greeter/greeting").retrieve().body(String.class);
        }, Duration.ofMillis(20), Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> died.get() != 0
                && traffic.calls().stream().filter(c -> c.startNanos() > died.get()).count() >= 60);
        traffic.close();

        // From the call that crashed greeter-2 on: it started before the crash but may be the one
        // sent to the dead greeter (the round robin's parity at that call is random).
        List<Traffic.Call> after = traffic.calls().stream().filter(c -> c.seq() >= CRASH_AT).toList();
        long failed = after.stream().filter(c -> !c.ok()).count();
        System.out.printf("Spring Retry, retry-connect-failures=%s: %d POSTs after greeter-2 died, %d failed%n",
                retryConnectFailures, after.size(), failed);
        if (retryConnectFailures) {
            assertThat(failed).as("failed POSTs").isZero();
            assertThat(frontend.getBean(ConnectRetries.class).succeeded()).isEqualTo(1);
        } else {
            assertThat(failed).as("Spring Cloud alone does not retry a POST: the refused one fails").isEqualTo(1);
        }
    }
}
