package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import java.util.HashSet;
import java.util.Set;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.context.ConfigurableApplicationContext;

/** A configuration refresh re-publishes metadata, zone and tags, and re-filters the index, without a restart. */
class RefreshTest {

    private final ApplicationContextRunner runner = StarterContexts.runner()
            .withConfiguration(AutoConfigurations.of(RefreshAutoConfiguration.class,
                    ConfigurationPropertiesRebinderAutoConfiguration.class))
            .withPropertyValues("spring.cloud.gossip.discovery.port=8080",
                    "spring.cloud.gossip.discovery.metadata.version=1", "spring.cloud.gossip.discovery.zone=eu-1");

    /** What ContextRefresher does once it has the new environment: rebind, then refresh the scope. */
    private static void refresh(ConfigurableApplicationContext ctx, String... properties) {
        TestPropertyValues.of(properties).applyTo(ctx);
        Set<String> keys = new HashSet<>();
        for (String p : properties) {
            keys.add(p.substring(0, p.indexOf('=')));
        }
        // the rebinder answers events whose source is its own context, not the test's proxy of it
        Object source = ctx instanceof AssertableApplicationContext a ? a.getSourceApplicationContext() : ctx;
        ctx.publishEvent(new EnvironmentChangeEvent((org.springframework.context.ApplicationContext) source, keys));
        ctx.getBean(RefreshScope.class).refreshAll();
    }

    @Test
    void metadataZoneAndTagsAreGossipedAgain() {
        runner.run(ctx -> {
            GossipNode node = ctx.getBean(GossipNode.class);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(node.tags().get("version")));

            refresh(ctx, "spring.cloud.gossip.discovery.metadata.version=2", "spring.cloud.gossip.discovery.zone=eu-2",
                    "spring.cloud.gossip.tags.role=canary");
            await().atMost(Duration.ofSeconds(5)).until(() -> "2".equals(node.tags().get("version")));
            assertThat(node.tags()).containsEntry(ServiceTags.ZONE, "eu-2").containsEntry("role", "canary")
                    .containsEntry(ServiceTags.STATUS, "UP");
            assertThat(ctx.getBean(LoadBalancerZoneConfig.class).getZone()).isEqualTo("eu-2");
        });
    }

    @Test
    void theIncludeStatusesFilterAppliesAtOnce() {
        runner.run(ctx -> {
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            ServiceIndex index = ctx.getBean(ServiceIndex.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> index.instances("orders").size() == 1);
            ctx.getBean(dev.gossip.spring.serviceregistry.GossipServiceRegistry.class).setStatus(null, "OUT_OF_SERVICE");
            await().atMost(Duration.ofSeconds(5)).until(() -> index.instances("orders").isEmpty());

            refresh(ctx, "spring.cloud.gossip.discovery.include-statuses=UP,OUT_OF_SERVICE");
            assertThat(index.instances("orders")).hasSize(1);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"spring.cloud.gossip.discovery.metadata.port=9", "spring.cloud.gossip.tags.notes=x"})
    void aRefreshThatWouldBreakTheRegistrationIsRefusedAndTheOldTagsStay(String breaking) {
        String value = breaking.endsWith("notes=x") ? breaking + "x".repeat(600) : breaking; // reserved key, or 512 bytes
        runner.run(ctx -> {
            GossipNode node = ctx.getBean(GossipNode.class);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(node.tags().get("version")));

            refresh(ctx, value, "spring.cloud.gossip.discovery.metadata.version=3");
            Thread.sleep(200); // a negative: the tags must not change (a tag update lands in ms)
            assertThat(node.tags()).containsEntry("version", "1").containsEntry(ServiceTags.PORT, "8080")
                    .doesNotContainKey("notes");
        });
    }
}
