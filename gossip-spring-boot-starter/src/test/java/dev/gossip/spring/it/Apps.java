package dev.gossip.spring.it;

import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.LoadBalancedClients;
import dev.gossip.testsupport.ReadyClock;
import dev.gossip.testsupport.Teardown;
import dev.gossip.testsupport.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** Greeter and frontend applications, several per JVM, on random HTTP ports and 127.0.0.1 gossip. */
final class Apps {

    private Apps() {}

    /** Answers with its instance id. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Greeter {
        @Bean
        GreetingController greetingController() {
            return new GreetingController();
        }

        /** UP unless started with --test.health=DOWN (what Spring Cloud's health-check preset probes). */
        @Bean
        org.springframework.boot.health.contributor.HealthIndicator testHealth(
                @Value("${test.health:UP}") String status) {
            return () -> org.springframework.boot.health.contributor.Health.status(status).build();
        }
    }

    @RestController
    static class GreetingController {
        private final AtomicLong count = new AtomicLong();

        @Value("${spring.cloud.gossip.discovery.instance-id:${spring.cloud.gossip.node-name}}")
        String instanceId;

        @GetMapping("/greeting")
        Map<String, Object> greeting() {
            return Map.of("instanceId", instanceId, "count", count.incrementAndGet());
        }
    }

    /** Calls greeters through each kind of load-balanced client (the blocking ones from test-support). */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(LoadBalancedClients.class)
    static class Frontend {
        @Bean
        @LoadBalanced
        WebClient.Builder loadBalancedWebClientBuilder() {
            return WebClient.builder();
        }
    }

    static ConfigurableApplicationContext greeter(String name, String seed, String... extra) {
        return start(Greeter.class, "greeter", name, seed, extra);
    }

    static ConfigurableApplicationContext frontend(String name, String seed, String... extra) {
        return start(Frontend.class, "frontend", name, seed, extra);
    }

    static ConfigurableApplicationContext start(Class<?> app, String service, String name, String seed, String... extra) {
        return start(app, service, name, seed, List.of(), extra);
    }

    /** Like {@link #greeter(String, String, String...)}, recording when the app became ready. */
    static ConfigurableApplicationContext greeter(String name, String seed, ReadyClock clock, String... extra) {
        return start(Greeter.class, "greeter", name, seed, List.of(clock), extra);
    }

    static ConfigurableApplicationContext start(Class<?> app, String service, String name, String seed,
                                                List<ApplicationListener<?>> listeners, String... extra) {
        Launcher launcher = Launcher.app(app).service(service).name(name).seed(seed)
                .args("--management.endpoints.web.exposure.include=health,gossip,serviceregistry",
                        "--logging.level.dev.gossip=INFO")
                .args(extra);
        listeners.forEach(launcher::listener);
        return launcher.start();
    }

    /**
     * A background loop of calls to {@code http://greeter/greeting} through the frontend's
     * {@code @LoadBalanced} RestClient, recording who answered and the port the load balancer
     * chose (an interceptor after the load balancer's sees the URI it picked).
     */
    static Traffic traffic(ConfigurableApplicationContext frontend, Duration pause, Duration maxDuration) {
        RestClient client = frontend.getBean(RestClient.Builder.class).clone()
                .requestInterceptor((request, body, execution) -> {
                    Traffic.chose(request.getURI().getPort());
                    return execution.execute(request, body);
                })
                .build();
        return Traffic.start("greeter", seq -> String.valueOf(client.get().uri("http://greeter/greeting").retrieve()
                .body(JSON).get("instanceId")), pause, maxDuration);
    }

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    /** host:port of the app's gossip node, to use as a seed. */
    static String gossipAddress(ConfigurableApplicationContext ctx) {
        return Launcher.gossipAddress(ctx);
    }

    static int httpPort(ConfigurableApplicationContext ctx) {
        return Launcher.httpPort(ctx);
    }

    /** Stops the app's web server (the port refuses connections) without any graceful step. */
    static void stopWebServer(ConfigurableApplicationContext ctx) {
        ((WebServerApplicationContext) ctx).getWebServer().stop();
    }

    /** Closes (gracefully) all at once, for teardown: each graceful leave takes seconds. */
    static void closeAll(ConfigurableApplicationContext... contexts) {
        Teardown.closeAll(contexts);
    }

    /** Closes gracefully, one after the other. */
    static void close(ConfigurableApplicationContext... contexts) {
        for (ConfigurableApplicationContext c : contexts) {
            if (c != null && c.isActive()) {
                Teardown.close(c);
            }
        }
    }
}
