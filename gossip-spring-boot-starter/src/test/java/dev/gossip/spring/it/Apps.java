package dev.gossip.spring.it;

import dev.gossip.core.GossipNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
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

    /** Calls greeters through each kind of load-balanced client. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Frontend {
        @Bean
        @LoadBalanced
        RestClient.Builder loadBalancedRestClientBuilder() {
            return RestClient.builder();
        }

        @Bean
        @LoadBalanced
        RestTemplate loadBalancedRestTemplate() {
            return new RestTemplate();
        }

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
        List<String> args = new ArrayList<>(List.of(
                "--spring.application.name=" + service,
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.cloud.gossip.node-name=" + name,
                "--spring.cloud.gossip.bind-address=127.0.0.1",
                "--spring.cloud.gossip.bind-port=0",
                "--spring.cloud.gossip.drain-period=1s",
                "--management.endpoints.web.exposure.include=health,gossip,serviceregistry",
                "--logging.level.dev.gossip=INFO"));
        if (seed != null) {
            args.add("--spring.cloud.gossip.seeds=" + seed);
        }
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(app).run(args.toArray(String[]::new));
    }

    /** host:port of the app's gossip node, to use as a seed. */
    static String gossipAddress(ConfigurableApplicationContext ctx) {
        GossipNode node = ctx.getBean(GossipNode.class);
        return "127.0.0.1:" + node.localMember().orElseThrow().port();
    }

    static int httpPort(ConfigurableApplicationContext ctx) {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }

    static void close(ConfigurableApplicationContext... contexts) {
        for (ConfigurableApplicationContext c : contexts) {
            if (c != null && c.isActive()) {
                SpringApplication.exit(c);
            }
        }
    }
}
