package dev.gossip.spring.client;

import static dev.gossip.spring.client.FakeCatalog.instance;
import static dev.gossip.spring.client.FakeCatalog.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.actuate.GossipActuatorAutoConfiguration;
import dev.gossip.spring.discovery.GossipDiscoveryClient;
import dev.gossip.spring.discovery.GossipDiscoveryClientAutoConfiguration;
import dev.gossip.spring.discovery.GossipReactiveDiscoveryClient;
import dev.gossip.spring.loadbalancer.GossipLoadBalancerAutoConfiguration;
import dev.gossip.spring.loadbalancer.Quarantine;
import dev.gossip.spring.messaging.GossipMessagingAutoConfiguration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistryAutoConfiguration;
import dev.gossip.spring.support.GossipStartupException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import reactor.core.publisher.Mono;

/** Thin client mode switches the node off and feeds the same discovery and load balancing from the catalog. */
class ThinClientAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GossipAutoConfiguration.class, GossipClientAutoConfiguration.class,
                    GossipDiscoveryClientAutoConfiguration.class, GossipServiceRegistryAutoConfiguration.class,
                    GossipLoadBalancerAutoConfiguration.class, GossipActuatorAutoConfiguration.class,
                    GossipMessagingAutoConfiguration.class))
            .withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class,
                    SimpleDiscoveryClientAutoConfiguration.class, CompositeDiscoveryClientAutoConfiguration.class,
                    ReactiveCompositeDiscoveryClientAutoConfiguration.class,
                    SimpleReactiveDiscoveryClientAutoConfiguration.class,
                    org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration.class,
                    org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration.class))
            .withPropertyValues("spring.application.name=client", "spring.cloud.gossip.client.startup-timeout=3s");

    @Test
    void catalogUrlsMakeAThinClient() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.snapshot = () -> snapshot(Map.of("greeter", List.of(instance("greeter", "g1", 8081, false),
                    instance("greeter", "g2", 8082, false, "status", "DOWN"))));
            runner.withPropertyValues("spring.cloud.gossip.client.catalog-urls=" + catalog.url()).run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(ctx).doesNotHaveBean(GossipNode.class);
                assertThat(ctx).doesNotHaveBean(ServiceRegistry.class);
                assertThat(ctx).hasSingleBean(GossipDiscoveryClient.class);
                assertThat(ctx).hasSingleBean(GossipReactiveDiscoveryClient.class);
                assertThat(ctx).hasSingleBean(Quarantine.class);

                DiscoveryClient discovery = ctx.getBean(DiscoveryClient.class);
                assertThat(discovery.getServices()).contains("greeter");
                assertThat(discovery.getInstances("greeter")).extracting(ServiceInstance::getPort)
                        .containsExactly(8081); // UP only, as on a member
                discovery.probe();

                ReactiveLoadBalancer<ServiceInstance> lb = ctx.getBean(LoadBalancerClientFactory.class)
                        .getInstance("greeter");
                ServiceInstance chosen = Mono.from(lb.choose()).block().getServer();
                assertThat(chosen.getPort()).isEqualTo(8081);

                MeterRegistry meters = new SimpleMeterRegistry();
                ctx.getBean("gossipCatalogClientMetrics", MeterBinder.class).bindTo(meters); // as Boot's metrics do
                assertThat(meters.get("gossip.client.catalog.connected").gauge().value()).isEqualTo(1.0);
                assertThat(meters.get("gossip.client.catalog.events").functionCounter().count()).isEqualTo(1.0);
            });
        }
    }

    @Test
    void zonePreferenceAndSuspectAvoidanceWorkAsOnAMember() throws Exception {
        try (FakeCatalog catalog = new FakeCatalog()) {
            catalog.snapshot = () -> snapshot(Map.of("greeter", List.of(
                    instance("greeter", "g1", 8081, false, "zone", "z2"),
                    instance("greeter", "g2", 8082, false, "zone", "z1"),
                    instance("greeter", "g3", 8083, true, "zone", "z1"))));
            runner.withPropertyValues("spring.cloud.gossip.client.catalog-urls=" + catalog.url(),
                    "spring.cloud.gossip.discovery.zone=z1",
                    "spring.cloud.loadbalancer.configurations=zone-preference").run(ctx -> {
                        ReactiveLoadBalancer<ServiceInstance> lb = ctx.getBean(LoadBalancerClientFactory.class)
                                .getInstance("greeter");
                        for (int i = 0; i < 10; i++) {
                            // g3 is suspected, g1 in another zone: g2 every time
                            assertThat(Mono.from(lb.choose()).block().getServer().getPort()).isEqualTo(8082);
                        }
                    });
        }
    }

    @Test
    void preferNearestNeedsAMember() {
        runner.withPropertyValues("spring.cloud.gossip.client.catalog-urls=http://127.0.0.1:1/gossip/catalog",
                "spring.cloud.gossip.discovery.load-balancer.prefer-nearest=true").run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(GossipStartupException.class)
                            .hasMessageContaining("spring.cloud.gossip.discovery.load-balancer.prefer-nearest");
                });
    }
}
