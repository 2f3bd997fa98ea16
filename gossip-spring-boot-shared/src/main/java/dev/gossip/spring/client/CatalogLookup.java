package dev.gossip.spring.client;

import dev.gossip.spring.discovery.GossipServiceInstance;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.cloud.client.ServiceInstance;

/**
 * One look-up of a service in the catalogs ({@code GET /v1/services/{id}}), for a thin client before
 * its application context, and so its watch, exists: where the Config server is.
 */
public final class CatalogLookup {

    private CatalogLookup() {}

    /**
     * The UP instances of {@code serviceId}, those not suspected first, from the first catalog that
     * lists any; asking the catalogs again until {@code startup-timeout} has passed.
     */
    public static List<ServiceInstance> upInstances(GossipClientProperties properties, String serviceId)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.getConnectTimeout()).build();
        long deadline = System.nanoTime() + properties.getStartupTimeout().toNanos();
        do {
            for (URI base : properties.getCatalogUrls()) {
                List<ServiceInstance> found = ask(http, properties, base, serviceId);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return List.of();
    }

    private static List<ServiceInstance> ask(HttpClient http, GossipClientProperties properties, URI base,
                                             String serviceId) throws InterruptedException {
        URI uri = URI.create(CatalogWatcher.trimmed(base) + "/v1/services/"
                + URLEncoder.encode(serviceId, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "application/json")
                .timeout(properties.getConnectTimeout().plus(properties.getStartupTimeout()));
        CatalogWatcher.authorize(request, properties);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return List.of();
            }
            CatalogReplica replica = new CatalogReplica(Set.of("UP"));
            replica.service(JsonParserFactory.getJsonParser().parseMap(response.body()));
            return replica.index().upInstances(serviceId).stream()
                    .sorted(Comparator.comparing(i -> ((GossipServiceInstance) i).isSuspect())).toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // unreachable or unreadable: the next catalog may answer
        }
    }
}
