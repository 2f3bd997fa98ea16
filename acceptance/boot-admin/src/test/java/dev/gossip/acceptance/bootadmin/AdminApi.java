package dev.gossip.acceptance.bootadmin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Spring Boot Admin's REST API, as its UI reads it: {@code GET /instances}. */
final class AdminApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final URI instances;

    AdminApi(int port) {
        this.instances = URI.create("http://127.0.0.1:" + port + "/instances");
    }

    /**
     * Every registered instance, keyed by the instance id it gossips (metadata {@code instance}),
     * as "status healthUrl": what SBA shows and where it checks health.
     */
    Map<String, String> statusAndHealthUrl() throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(instances)
                .header("Accept", "application/json").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + instances + ": HTTP " + response.statusCode() + " " + response.body());
        }
        Map<String, String> view = new TreeMap<>();
        for (JsonNode instance : JSON.readTree(response.body())) {
            if (!instance.path("registered").asBoolean()) {
                continue;
            }
            JsonNode registration = instance.path("registration");
            view.put(registration.path("metadata").path("instance").asString(),
                    instance.path("statusInfo").path("status").asString() + " "
                            + registration.path("healthUrl").asString());
        }
        return view;
    }
}
