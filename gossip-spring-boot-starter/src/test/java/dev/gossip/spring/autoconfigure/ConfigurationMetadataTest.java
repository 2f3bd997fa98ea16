package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.client.GossipClientProperties;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The metadata the configuration processor generates (from the Javadoc of the properties' fields,
 * merged with additional-spring-configuration-metadata.json) documents every bound property, so
 * IDEs can complete and explain them.
 */
class ConfigurationMetadataTest {

    private static final String PREFIX = "spring.cloud.gossip.";

    private static Map<String, JsonNode> properties;
    private static Map<String, JsonNode> hints;

    @BeforeAll
    static void load() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode ours = null;
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode json = mapper.readTree(in);
                for (JsonNode group : json.path("groups")) {
                    if (GossipProperties.class.getName().equals(group.path("sourceType").asString())) {
                        ours = json;
                    }
                }
            }
        }
        assertThat(ours).as("the starter's generated spring-configuration-metadata.json").isNotNull();
        properties = new TreeMap<>();
        for (JsonNode p : ours.path("properties")) {
            properties.put(p.path("name").asString(), p);
        }
        hints = new TreeMap<>();
        for (JsonNode h : ours.path("hints")) {
            hints.put(h.path("name").asString(), h);
        }
    }

    /** spring.cloud.gossip.* names of every writable property of the property classes. */
    private static Map<String, Object> boundDefaults() {
        Map<String, Object> out = new TreeMap<>();
        collect(new GossipProperties(), GossipProperties.PREFIX, out);
        collect(new GossipProperties().getDashboard(), GossipProperties.PREFIX + ".dashboard", out);
        collect(new GossipProperties().getEvents(), GossipProperties.PREFIX + ".events", out);
        collect(new GossipProperties().getQueries(), GossipProperties.PREFIX + ".queries", out);
        collect(new GossipProperties().getRpc(), GossipProperties.PREFIX + ".rpc", out);
        collect(new GossipProperties().getDns(), GossipProperties.PREFIX + ".dns", out);
        collect(new GossipClientProperties(), GossipClientProperties.PREFIX, out);
        collect(new GossipProperties().getCatalog(), GossipProperties.PREFIX + ".catalog", out);
        collect(new GossipDiscoveryProperties(), GossipDiscoveryProperties.PREFIX, out);
        collect(new GossipDiscoveryProperties().getLoadBalancer(), GossipDiscoveryProperties.PREFIX + ".load-balancer", out);
        return out;
    }

    private static void collect(Object bean, String prefix, Map<String, Object> out) {
        BeanWrapper wrapper = new BeanWrapperImpl(bean);
        for (PropertyDescriptor pd : wrapper.getPropertyDescriptors()) {
            if (wrapper.isWritableProperty(pd.getName())) {
                out.put(prefix + "." + kebab(pd.getName()), wrapper.getPropertyValue(pd.getName()));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Test
    void everyBoundPropertyIsInTheMetadata() {
        Set<String> documented = new TreeSet<>(properties.keySet());
        documented.removeIf(name -> !name.startsWith(PREFIX));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(boundDefaults().keySet());
        assertThat(documented).hasSize(67);
    }

    @Test
    void everyBoundPropertyHasADescription() {
        List<String> undocumented = new ArrayList<>();
        for (String name : boundDefaults().keySet()) {
            JsonNode p = properties.get(name);
            String description = p == null ? "" : p.path("description").asString("");
            if (description.isBlank() || description.length() < 20 || !description.endsWith(".")) {
                undocumented.add(name + ": '" + description + "'");
            }
        }
        assertThat(undocumented).as("properties without a proper description").isEmpty();
    }

    /**
     * A default is either in the metadata (and then equal to the field's value) or, where it is
     * computed at start-up, explained by the description.
     */
    @Test
    void everyBoundPropertyHasADefaultOrSaysHowItIsChosen() {
        List<String> missing = new ArrayList<>();
        boundDefaults().forEach((name, value) -> {
            JsonNode p = properties.get(name);
            JsonNode metadataDefault = p.get("defaultValue");
            String description = p.path("description").asString("").toLowerCase(Locale.ROOT);
            boolean explained = description.contains("default") || description.contains("empty");
            boolean hasValue = value != null && !(value instanceof Map<?, ?> m && m.isEmpty());
            if (metadataDefault == null && (hasValue || !explained)) {
                missing.add(name + " (field default " + value + ")");
            }
        });
        assertThat(missing).as("properties without a documented default").isEmpty();
    }

    @Test
    void metadataDefaultsMatchTheFields() {
        assertThat(properties.get("spring.cloud.gossip.bind-port").get("defaultValue").asInt()).isEqualTo(7946);
        assertThat(properties.get("spring.cloud.gossip.bind-address").get("defaultValue").asString()).isEqualTo("0.0.0.0");
        assertThat(properties.get("spring.cloud.gossip.profile").get("defaultValue").asString()).isEqualTo("lan");
        assertThat(properties.get("spring.cloud.gossip.join-timeout").get("defaultValue").asString()).isEqualTo("5s");
        assertThat(properties.get("spring.cloud.gossip.drain-period").get("defaultValue").asString()).isEqualTo("1500ms");
        // a bare "5" would read as 5 ms: the unit must be there
        assertThat(properties.get("spring.cloud.gossip.discovery.health-check-interval").get("defaultValue").asString())
                .isEqualTo("5s");
        assertThat(properties.get("spring.cloud.gossip.discovery.include-statuses").get("defaultValue").asString())
                .isEqualTo("UP");
        assertThat(properties.get("spring.cloud.gossip.events.enabled").get("defaultValue").asBoolean()).isTrue();
        assertThat(properties.get("spring.cloud.gossip.queries.handler-timeout").get("defaultValue").asString())
                .isEqualTo("1s");
        assertThat(properties.get("spring.cloud.gossip.dns.address").get("defaultValue").asString())
                .isEqualTo("127.0.0.1:8600");
        assertThat(properties.get("spring.cloud.gossip.dns.ttl").get("defaultValue").asString()).isEqualTo("0s");
        assertThat(properties.get("spring.cloud.gossip.catalog.path").get("defaultValue").asString())
                .isEqualTo("/gossip/catalog");
        assertThat(properties.get("spring.cloud.gossip.catalog.server").get("defaultValue").asString())
                .isEqualTo("application");
        assertThat(properties.get("spring.cloud.gossip.catalog.keep-alive").get("defaultValue").asString())
                .isEqualTo("15s");
        assertThat(properties.get("spring.cloud.gossip.catalog.max-watchers").get("defaultValue").asInt()).isEqualTo(256);
        assertThat(properties.get("spring.cloud.gossip.catalog.max-pending-events").get("defaultValue").asInt())
                .isEqualTo(1000);
        assertThat(properties.get("spring.cloud.gossip.seeds").get("defaultValue").isArray()).isTrue();
        assertThat(properties.get("spring.cloud.gossip.seeds").get("defaultValue").size()).isZero();
    }

    @Test
    void valueHintsForProfileAndIncludeStatuses() {
        assertThat(hintValues("spring.cloud.gossip.profile")).containsExactly("lan", "wan", "local");
        assertThat(hintValues("spring.cloud.gossip.discovery.include-statuses"))
                .containsExactly("UP", "OUT_OF_SERVICE", "DOWN");
        assertThat(hintValues("spring.cloud.gossip.catalog.server")).containsExactly("application", "management");
        for (JsonNode hint : hints.values()) {
            for (JsonNode value : hint.path("values")) {
                assertThat(value.path("description").asString("")).as(value.toString()).isNotBlank();
            }
        }
    }

    private static Collection<String> hintValues(String name) {
        assertThat(hints).containsKey(name);
        List<String> values = new ArrayList<>();
        hints.get(name).path("values").forEach(v -> values.add(v.path("value").asString()));
        return values;
    }
}
