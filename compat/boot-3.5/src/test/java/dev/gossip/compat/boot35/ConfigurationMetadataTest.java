package dev.gossip.compat.boot35;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.GossipProperties;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The Boot 3.5 starter publishes the same configuration metadata as the Boot 4 one: the file the
 * shared module generates once (the Boot 4 starter's ConfigurationMetadataTest checks that it
 * documents every property), and nothing of its own. Each documented gossip property binds on
 * Boot 3.5 with its documented default.
 */
class ConfigurationMetadataTest {

    @Test
    void theOnlyGossipMetadataIsTheSharedModulesAndItBindsOnBoot35() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<URL> gossip = new ArrayList<>();
        JsonNode ours = null;
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode json = mapper.readTree(in);
                for (JsonNode group : json.path("groups")) {
                    if (group.path("sourceType").asText().startsWith("dev.gossip.")) {
                        gossip.add(url);
                        ours = json;
                        break;
                    }
                }
            }
        }
        assertThat(gossip).as("gossip metadata on the Boot 3.5 class path").singleElement()
                .satisfies(url -> assertThat(url.toString()).contains("gossip-spring-boot-shared"));

        Map<String, String> general = new LinkedHashMap<>();
        Map<String, String> discovery = new LinkedHashMap<>();
        for (JsonNode p : ours.path("properties")) {
            String name = p.path("name").asText();
            String source = p.path("sourceType").asText();
            if (!p.has("defaultValue") || p.has("deprecation") || !source.startsWith("dev.gossip.spring.Gossip")) {
                continue;
            }
            JsonNode value = p.path("defaultValue");
            String text = value.isArray()
                    ? StreamSupport.stream(value.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(","))
                    : value.asText();
            (name.startsWith(GossipDiscoveryProperties.PREFIX + ".") ? discovery : general).put(name, text);
        }
        assertThat(general).containsKeys("spring.cloud.gossip.bind-port", "spring.cloud.gossip.join-timeout");
        assertThat(discovery).containsKey("spring.cloud.gossip.discovery.register");

        GossipProperties bound = new Binder(new MapConfigurationPropertySource(general))
                .bind(GossipProperties.PREFIX, Bindable.of(GossipProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .get();
        assertThat(bound.getBindPort()).isEqualTo(new GossipProperties().getBindPort());
        assertThat(bound.getJoinTimeout()).isEqualTo(new GossipProperties().getJoinTimeout());
        GossipDiscoveryProperties boundDiscovery = new Binder(new MapConfigurationPropertySource(discovery))
                .bind(GossipDiscoveryProperties.PREFIX, Bindable.of(GossipDiscoveryProperties.class),
                        new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .get();
        assertThat(boundDiscovery.isRegister()).isEqualTo(new GossipDiscoveryProperties().isRegister());
    }
}
