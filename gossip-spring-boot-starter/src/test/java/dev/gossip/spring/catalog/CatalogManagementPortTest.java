package dev.gossip.spring.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.testsupport.Greeter;
import dev.gossip.testsupport.Launcher;
import dev.gossip.testsupport.Teardown;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code server=management} and a management port of its own, the catalog is served by the
 * management server only, and its tag names that port.
 */
class CatalogManagementPortTest {

    private static final String TOMCAT_REACTIVE_MANAGEMENT =
            "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration";

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"servlet", "reactive"})
    void servedOnTheManagementPortOnly(String webType) throws Exception {
        ConfigurableApplicationContext app = Launcher.app(Greeter.class).service("ops").name("ops-" + webType)
                // this module's tests have Tomcat and Reactor Netty: a reactive app must pick one for its management server
                .args("--spring.autoconfigure.exclude=" + TOMCAT_REACTIVE_MANAGEMENT)
                .args("--spring.main.web-application-type=" + webType, "--management.server.port=0",
                        "--spring.cloud.gossip.catalog.enabled=true", "--spring.cloud.gossip.catalog.server=management")
                .start();
        try {
            int appPort = Launcher.httpPort(app);
            int managementPort = Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
            assertThat(managementPort).isNotEqualTo(appPort);

            HttpResponse<String> ops = get("http://127.0.0.1:" + managementPort + "/gossip/catalog/v1/services/ops");
            assertThat(ops.statusCode()).isEqualTo(200);
            assertThat(ops.body()).contains("\"instanceId\":\"ops-" + webType + "\"");
            assertThat(get("http://127.0.0.1:" + appPort + "/gossip/catalog/v1/services").statusCode()).isEqualTo(404);

            ServiceIndex index = app.getBean(ServiceIndex.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> index.allInstances("ops").stream()
                    .anyMatch(i -> i.getMetadata().containsKey(ServiceTags.CATALOG)));
            List<ServiceInstance> self = index.allInstances("ops");
            assertThat(self.get(0).getMetadata().get(ServiceTags.CATALOG))
                    .isEqualTo("http://" + self.get(0).getHost() + ":" + managementPort + "/gossip/catalog");
        } finally {
            Teardown.discardAll(app);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
