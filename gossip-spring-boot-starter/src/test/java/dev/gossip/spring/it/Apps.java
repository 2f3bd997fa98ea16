package dev.gossip.spring.it;

import dev.gossip.core.GossipNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
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
        return start(app, service, name, seed, List.of(), extra);
    }

    /** Like {@link #greeter(String, String, String...)}, recording when the app became ready. */
    static ConfigurableApplicationContext greeter(String name, String seed, ReadyClock clock, String... extra) {
        return start(Greeter.class, "greeter", name, seed, List.of(clock), extra);
    }

    static ConfigurableApplicationContext start(Class<?> app, String service, String name, String seed,
                                                List<ApplicationListener<?>> listeners, String... extra) {
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
        return new SpringApplicationBuilder(app).listeners(listeners.toArray(ApplicationListener[]::new))
                .initializers(Apps::ownReactorResources)
                .run(args.toArray(String[]::new));
    }

    /**
     * Several apps share this JVM, hence Reactor Netty's global resources (the connection pool
     * of every reactor-based client). A closing app must not dispose them under the others: as in
     * {@code @SpringBootTest} (Boot's DisableReactorResourceFactoryGlobalResourcesBeanPostProcessor),
     * no app's ReactorResourceFactory owns the global resources. Otherwise closing greeter-2 cuts the
     * frontend's in-flight calls to greeter-1b ("Connection prematurely closed BEFORE response").
     */
    private static void ownReactorResources(ConfigurableApplicationContext ctx) {
        ctx.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof ReactorResourceFactory factory) {
                    factory.setUseGlobalResources(false);
                }
                return bean;
            }
        });
    }

    /** host:port of the app's gossip node, to use as a seed. */
    static String gossipAddress(ConfigurableApplicationContext ctx) {
        GossipNode node = ctx.getBean(GossipNode.class);
        return "127.0.0.1:" + node.localMember().orElseThrow().port();
    }

    static int httpPort(ConfigurableApplicationContext ctx) {
        return Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }

    /** Records (System.nanoTime) when readiness became ACCEPTING_TRAFFIC: when the app registers itself. */
    static final class ReadyClock implements ApplicationListener<AvailabilityChangeEvent<?>> {
        private volatile long readyNanos;

        @Override
        public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
            if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && readyNanos == 0) {
                readyNanos = System.nanoTime();
            }
        }

        long readyNanos() {
            if (readyNanos == 0) {
                throw new IllegalStateException("never became ready");
            }
            return readyNanos;
        }
    }

    /** Stops the app's web server (the port refuses connections) without any graceful step. */
    static void stopWebServer(ConfigurableApplicationContext ctx) {
        ((WebServerApplicationContext) ctx).getWebServer().stop();
    }

    /** Closes (gracefully) all at once, for teardown: each graceful leave takes seconds. */
    static void closeAll(ConfigurableApplicationContext... contexts) {
        List<Thread> threads = new ArrayList<>();
        for (ConfigurableApplicationContext c : contexts) {
            if (c != null && c.isActive()) {
                Thread t = new Thread(() -> close(c), "close-" + c.getId());
                t.start();
                threads.add(t);
            }
        }
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void close(ConfigurableApplicationContext... contexts) {
        RuntimeException first = null;
        for (ConfigurableApplicationContext c : contexts) {
            try {
                if (c != null && c.isActive()) {
                    SpringApplication.exit(c);
                }
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
