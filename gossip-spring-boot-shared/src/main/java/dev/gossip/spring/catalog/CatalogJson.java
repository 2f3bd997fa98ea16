package dev.gossip.spring.catalog;

import dev.gossip.spring.discovery.GossipServiceInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.json.JsonWriter;
import org.springframework.cloud.client.ServiceInstance;

/** The catalog's JSON documents (docs/catalog.md), written with Boot's JsonWriter: no Jackson, either Boot line. */
final class CatalogJson {

    private static final JsonWriter<Object> JSON = JsonWriter.standard();

    private CatalogJson() {
    }

    /** {@code GET /v1/services}: each service's name, instance count and healthy count. */
    static String services(CatalogFeed.Snapshot snapshot) {
        List<Map<String, Object>> services = new ArrayList<>();
        snapshot.services().forEach((name, instances) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", name);
            s.put("instances", instances.size());
            s.put("healthy", instances.stream().filter(CatalogJson::healthy).count());
            services.add(s);
        });
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("index", snapshot.index());
        doc.put("services", services);
        return JSON.writeToString(doc);
    }

    /** {@code GET /v1/services/{id}} and the {@code service} event's data. */
    static String service(long index, String service, List<ServiceInstance> instances) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("index", index);
        doc.put("service", service);
        doc.put("instances", instances(instances));
        return JSON.writeToString(doc);
    }

    /** The {@code snapshot} event's data: every (filtered) service's instances by name. */
    static String snapshot(CatalogFeed.Snapshot snapshot) {
        Map<String, Object> services = new LinkedHashMap<>();
        snapshot.services().forEach((name, instances) -> services.put(name, instances(instances)));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("index", snapshot.index());
        doc.put("services", services);
        return JSON.writeToString(doc);
    }

    static String error(String message) {
        return JSON.writeToString(Map.of("error", message));
    }

    private static List<Map<String, Object>> instances(List<ServiceInstance> instances) {
        return instances.stream().map(i -> instance((GossipServiceInstance) i)).toList();
    }

    private static Map<String, Object> instance(GossipServiceInstance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serviceId", i.getServiceId());
        m.put("instanceId", i.getInstanceId());
        m.put("member", i.getMemberName());
        m.put("address", i.getMemberAddress());
        m.put("host", i.getHost());
        m.put("port", i.getPort());
        m.put("secure", i.isSecure());
        m.put("uri", i.getUri().toString());
        m.put("zone", i.getZone());
        m.put("status", i.getStatus());
        m.put("suspect", i.isSuspect());
        m.put("metadata", new TreeMap<>(i.getMetadata()));
        return m;
    }

    /** UP and not suspected: what the doc calls healthy. */
    private static boolean healthy(ServiceInstance i) {
        GossipServiceInstance g = (GossipServiceInstance) i;
        return "UP".equalsIgnoreCase(g.getStatus()) && !g.isSuspect();
    }
}
