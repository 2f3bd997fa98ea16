package dev.gossip.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

/**
 * Spring Cloud's {@code /actuator/pause} (which, since Spring Cloud 2025.1, runs the
 * {@code PauseHandler}s rather than stopping the context): the greeter stays a member but goes
 * OUT_OF_SERVICE, so the frontend stops choosing it; {@code /actuator/resume} makes it UP again.
 * A full {@code context.stop()}/{@code start()} is covered by the starter's LifecycleTest.
 */
class PauseResumeTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void pauseTakesTheInstanceOutAndResumeBringsItBack() throws Exception {
        ConfigurableApplicationContext greeter = null;
        ConfigurableApplicationContext frontend = null;
        try {
            greeter = Apps.greeter("greeter-p", null,
                    "--management.endpoints.web.exposure.include=health,pause,resume,restart",
                    "--management.endpoint.restart.access=unrestricted",
                    "--management.endpoint.pause.access=unrestricted",
                    "--management.endpoint.resume.access=unrestricted");
            frontend = Apps.frontend("frontend-p", Apps.gossipAddress(greeter));
            DiscoveryClient discovery = frontend.getBean(DiscoveryClient.class);
            GossipNode watcher = frontend.getBean(GossipNode.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> discovery.getInstances("greeter").size() == 1);

            long t0 = System.nanoTime();
            HttpResponse<String> pause = post(greeter, "/actuator/pause");
            assertThat(pause.statusCode()).isBetween(200, 299);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> discovery.getInstances("greeter").isEmpty());
            long outMs = (System.nanoTime() - t0) / 1_000_000;
            Member paused = watcher.member("greeter-p").orElseThrow();
            assertThat(paused.status()).isEqualTo(MemberStatus.ALIVE);
            assertThat(paused.tags()).containsEntry("status", "OUT_OF_SERVICE");

            long t1 = System.nanoTime();
            assertThat(post(greeter, "/actuator/resume").statusCode()).isBetween(200, 299);
            RestClient client = frontend.getBean(RestClient.Builder.class).build();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> discovery.getInstances("greeter").size() == 1);
            long backMs = (System.nanoTime() - t1) / 1_000_000;
            assertThat(client.get().uri("http://greeter/greeting").retrieve().body(MAP))
                    .containsEntry("instanceId", "greeter-p");
            System.out.printf("pause: out of discovery after %d ms; resume: back in discovery after %d ms%n",
                    outMs, backMs);
            assertThat(outMs).isLessThan(1000); // one tag update, gossiped at once (measured 180-370 ms)
            assertThat(backMs).isLessThan(1000); // measured 50-650 ms
        } finally {
            Apps.closeAll(frontend, greeter);
        }
    }

    private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() { };

    private static HttpResponse<String> post(ConfigurableApplicationContext app, String path) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
