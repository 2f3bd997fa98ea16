package dev.gossip.compat.boot35;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.LoadBalancedClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * One cluster, two Boot lines, two JVMs: a Boot 3.5 greeter (this JVM, gossip-spring-boot3-starter)
 * and the Boot 4 sample-app as frontend (its own JVM, gossip-spring-boot-starter). The 3.5 app
 * calls the frontend's {@code /hello} through its {@code @LoadBalanced} RestTemplate; the frontend
 * answers it by calling {@code http://greeter/greeting}, the 3.5 app, through its own
 * {@code @LoadBalanced} RestClient.
 */
class CrossLineTest {

    private static final Path SAMPLE_JAR = Path.of("..", "..", "sample-app", "target", "sample-app.jar")
            .toAbsolutePath().normalize();

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    private static ConfigurableApplicationContext greeter;
    private static Process frontend;

    /** The sample frontend reads {@code instanceId} and {@code zone} from the greeting, as from its own greeters. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import({JsonGreeting.class, LoadBalancedClients.class})
    static class Greeter {
    }

    @RestController
    static class JsonGreeting {
        @Value("${spring.cloud.gossip.node-name}")
        String instanceId;

        @GetMapping("/greeting")
        Map<String, Object> greeting() {
            return Map.of("instanceId", instanceId, "zone", "zone-a", "boot", SpringBootVersion.getVersion());
        }
    }

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isRegularFile(SAMPLE_JAR)) {
            throw new IllegalStateException("This test runs " + SAMPLE_JAR + " (Boot 4): build it first"
                    + " (./mvnw -B verify from the root builds it before this module, or ./mvnw -B package -pl sample-app -am -DskipTests)");
        }
        greeter = Launcher.app(Greeter.class).service("greeter").name("greeter-boot35").start();
        Path log = Path.of("target", "cross-line-boot4-frontend.log");
        Files.createDirectories(log.getParent());
        frontend = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", SAMPLE_JAR.toString(),
                "--spring.profiles.active=frontend", "--server.port=0", "--spring.main.banner-mode=off",
                "--spring.cloud.gossip.node-name=frontend-boot4", "--spring.cloud.gossip.bind-port=0",
                "--spring.cloud.gossip.seeds=" + Launcher.gossipAddress(greeter)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (frontend != null) {
            frontend.destroy();
            frontend.waitFor();
        }
        if (greeter != null) {
            greeter.close();
        }
    }

    @Test
    void boot35AndBoot4AppsCallEachOtherThroughLoadBalancedClients() {
        DiscoveryClient discovery = greeter.getBean(DiscoveryClient.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(frontend.isAlive()).as("the Boot 4 frontend runs (see target/cross-line-boot4-frontend.log)").isTrue();
            assertThat(discovery.getInstances("frontend")).as("the Boot 4 frontend registered through gossip")
                    .singleElement().extracting(ServiceInstance::getInstanceId).isEqualTo("frontend-boot4");
        });
        RestTemplate loadBalanced = greeter.getBean(RestTemplate.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> hello = loadBalanced.exchange("http://frontend/hello", HttpMethod.GET, null, JSON).getBody();
            assertThat(hello).containsEntry("answeredBy", "greeter-boot35");
            assertThat(hello.get("greeting")).asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("boot", SpringBootVersion.getVersion());
        });
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    }
}
