package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipNode;
import dev.gossip.core.Timings;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.GossipProperties;
import dev.gossip.spring.actuate.GossipEndpoint;
import dev.gossip.spring.actuate.GossipHealthIndicator;
import dev.gossip.spring.actuate.GossipMetrics;
import dev.gossip.spring.discovery.GossipDiscoveryClient;
import dev.gossip.spring.discovery.GossipReactiveDiscoveryClient;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.loadbalancer.GossipLoadBalancerAutoConfiguration;
import dev.gossip.spring.loadbalancer.GossipLoadBalancerClientConfiguration;
import dev.gossip.spring.loadbalancer.GossipServiceInstanceListSupplier;
import dev.gossip.spring.loadbalancer.LoadBalancerChains;
import dev.gossip.spring.loadbalancer.SuspectAvoidingServiceInstanceListSupplier;
import dev.gossip.spring.serviceregistry.GossipAutoServiceRegistration;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.serviceregistry.HealthStatusFollower;
import dev.gossip.spring.serviceregistry.WebServerPortListener;
import dev.gossip.spring.support.GossipLeaveLifecycle;
import dev.gossip.spring.support.GossipNodeLifecycle;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;

/**
 * Which beans each switch leaves in the context, with the Spring Cloud auto-configurations the
 * starter works with. Every context starts a real gossip node on 127.0.0.1 and a free port.
 */
class GossipAutoConfigurationTest {

    static final AutoConfigurations GOSSIP = StarterContexts.GOSSIP;
    static final AutoConfigurations CLOUD = StarterContexts.CLOUD;

    /** Every gossip class; "no gossip beans" means none of these. */
    private static final List<Class<?>> GOSSIP_BEANS = List.of(GossipNode.class, ServiceIndex.class,
            GossipProperties.class, GossipDiscoveryProperties.class, GossipDiscoveryClient.class,
            GossipReactiveDiscoveryClient.class, GossipServiceRegistry.class, GossipRegistration.class,
            GossipAutoServiceRegistration.class, GossipNodeLifecycle.class, GossipLeaveLifecycle.class,
            GossipHealthIndicator.class, GossipEndpoint.class, GossipMetrics.class, WebServerPortListener.class,
            HealthStatusFollower.class, GossipLoadBalancerAutoConfiguration.class);

    private final ApplicationContextRunner runner = StarterContexts.runner();

    // ---------------------------------------------------------------- defaults

    @Test
    void defaultsCreateTheWholeStarter() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=gossip,serviceregistry").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            for (Class<?> type : List.of(GossipNode.class, ServiceIndex.class, GossipDiscoveryClient.class,
                    GossipReactiveDiscoveryClient.class, GossipServiceRegistry.class, GossipRegistration.class,
                    GossipAutoServiceRegistration.class, GossipNodeLifecycle.class, GossipLeaveLifecycle.class,
                    GossipHealthIndicator.class, GossipEndpoint.class, GossipMetrics.class,
                    WebServerPortListener.class)) {
                assertThat(ctx).as(type.getSimpleName()).hasSingleBean(type);
            }
            GossipNode node = ctx.getBean(GossipNode.class);
            assertThat(node.isRunning()).isTrue();
            assertThat(node.name()).startsWith("orders-"); // service id + random suffix
            assertThat(node.localMember().orElseThrow().address().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(node.localMember().orElseThrow().port()).isPositive();

            // Spring Cloud sees ours among its own
            assertThat(ctx.getBean(DiscoveryClient.class)).isInstanceOf(CompositeDiscoveryClient.class);
            assertThat(((CompositeDiscoveryClient) ctx.getBean(DiscoveryClient.class)).getDiscoveryClients())
                    .hasAtLeastOneElementOfType(GossipDiscoveryClient.class);
            assertThat(ctx.getBean(ReactiveDiscoveryClient.class)).isInstanceOf(ReactiveCompositeDiscoveryClient.class);
            assertThat(ctx.getBean(ServiceRegistry.class)).isInstanceOf(GossipServiceRegistry.class);
            assertThat(ctx.getBean(AutoServiceRegistration.class)).isInstanceOf(GossipAutoServiceRegistration.class);
            assertThat(ctx).hasSingleBean(ServiceRegistryEndpoint.class);

            // every load-balancer client gets the gossip supplier as its base by default
            assertThat(gossipLoadBalancerSpecification(ctx)).isTrue();
            ServiceInstanceListSupplier supplier = ctx.getBean(LoadBalancerClientFactory.class)
                    .getInstance("billing", ServiceInstanceListSupplier.class);
            assertThat(LoadBalancerChains.of(supplier)).containsExactly(SuspectAvoidingServiceInstanceListSupplier.class,
                    GossipServiceInstanceListSupplier.class);
            assertThat(supplier.getServiceId()).isEqualTo("billing");

            // a starter publishes no general-purpose infrastructure: no Executor bean of ours
            assertThat(ctx.getBeansOfType(java.util.concurrent.Executor.class)).isEmpty();
        });
    }

    @Test
    void theMemberLimitComesFromMaxMembersOnTopOfTheProfile() {
        runner.run(ctx -> assertThat(ctx.getBean(GossipNode.class).config().timings().maxMembers()).isEqualTo(10_000));
        runner.withPropertyValues("spring.cloud.gossip.max-members=25000", "spring.cloud.gossip.profile=wan")
                .run(ctx -> {
                    Timings t = ctx.getBean(GossipNode.class).config().timings();
                    assertThat(t.maxMembers()).isEqualTo(25_000);
                    assertThat(t.probeInterval()).as("still the wan profile").isEqualTo(Timings.wan().probeInterval());
                });
    }

    @Test
    void theGossipEndpointNeedsExposing() {
        runner.run(ctx -> {
            assertThat(ctx).hasSingleBean(GossipNode.class).doesNotHaveBean(GossipEndpoint.class);
            assertThat(ctx).hasSingleBean(GossipHealthIndicator.class).hasSingleBean(GossipMetrics.class);
        });
        runner.withPropertyValues("management.health.gossip.enabled=false")
                .run(ctx -> assertThat(ctx).hasSingleBean(GossipNode.class).doesNotHaveBean(GossipHealthIndicator.class));
    }

    @Test
    void compositeDiscoveryClientReturnsGossipInstances() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.port=8080", "spring.cloud.gossip.discovery.zone=z1",
                "spring.cloud.gossip.discovery.metadata.team=payments").run(ctx -> {
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            DiscoveryClient discovery = ctx.getBean(DiscoveryClient.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").size() == 1);
            ServiceInstance self = discovery.getInstances("orders").get(0);
            assertThat(self.getHost()).isEqualTo("127.0.0.1");
            assertThat(self.getPort()).isEqualTo(8080);
            assertThat(self.getInstanceId()).isEqualTo(ctx.getBean(GossipNode.class).name());
            assertThat(self.getMetadata()).containsEntry("team", "payments").containsEntry(ServiceTags.ZONE, "z1")
                    .containsEntry(ServiceTags.STATUS, "UP");
            assertThat(discovery.getServices()).contains("orders");

            ReactiveDiscoveryClient reactive = ctx.getBean(ReactiveDiscoveryClient.class);
            assertThat(reactive.getInstances("orders").collectList().block()).containsExactly(self);
            assertThat(reactive.getServices().collectList().block()).contains("orders");

            ServiceInstanceListSupplier supplier = ctx.getBean(LoadBalancerClientFactory.class)
                    .getInstance("orders", ServiceInstanceListSupplier.class);
            assertThat(supplier.get().blockFirst()).containsExactly(self);
        });
    }

    // ---------------------------------------------------------------- switches

    @Test
    void gossipDisabledLeavesNoGossipBeanAndTheAppStillStarts() {
        runner.withPropertyValues("spring.cloud.gossip.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertNoGossipBeans(ctx);
            // Spring Cloud's own clients are still there
            assertThat(ctx.getBean(DiscoveryClient.class)).isInstanceOf(CompositeDiscoveryClient.class);
            assertThat(ctx.getBean(DiscoveryClient.class).getServices()).isEmpty();
            assertThat(gossipLoadBalancerSpecification(ctx)).isFalse();
        });
    }

    @Test
    void gossipDiscoveryDisabledKeepsTheNodeOnly() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipNode.class).hasSingleBean(ServiceIndex.class)
                    .hasSingleBean(GossipNodeLifecycle.class).hasSingleBean(GossipHealthIndicator.class);
            assertThat(ctx).doesNotHaveBean(GossipDiscoveryClient.class)
                    .doesNotHaveBean(GossipReactiveDiscoveryClient.class)
                    .doesNotHaveBean(GossipLoadBalancerAutoConfiguration.class)
                    .doesNotHaveBean(GossipServiceRegistry.class).doesNotHaveBean(GossipRegistration.class)
                    .doesNotHaveBean(GossipAutoServiceRegistration.class);
            assertThat(gossipLoadBalancerSpecification(ctx)).isFalse();
            assertThat(((CompositeDiscoveryClient) ctx.getBean(DiscoveryClient.class)).getDiscoveryClients())
                    .noneMatch(GossipDiscoveryClient.class::isInstance);
        });
    }

    @Test
    void springCloudDiscoveryDisabledLeavesNoNodeAndNoSocket() throws Exception {
        int port = freeUdpAndTcpPort();
        runner.withPropertyValues("spring.cloud.discovery.enabled=false", "spring.cloud.gossip.bind-port=" + port)
                .run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertNoGossipBeans(ctx);
            assertThat(gossipLoadBalancerSpecification(ctx)).isFalse();
            assertPortFree(port); // cached test contexts and parallel builds never collide on it
            // Spring Cloud 2025.1 keeps its simple (property-based) clients even then
            assertThat(ctx.getBeansOfType(DiscoveryClient.class).values())
                    .noneMatch(GossipDiscoveryClient.class::isInstance);
        });
    }

    @Test
    void clientOnlyModeRegistersNothingButStillAnnouncesRegistration() {
        runner.withBean(RegisteredEvents.class).withPropertyValues("spring.cloud.gossip.discovery.register=false",
                "spring.cloud.gossip.discovery.port=8080").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipDiscoveryClient.class)
                    .hasSingleBean(GossipAutoServiceRegistration.class).hasSingleBean(GossipLeaveLifecycle.class);
            assertThat(ctx).doesNotHaveBean(GossipServiceRegistry.class).doesNotHaveBean(GossipRegistration.class)
                    .doesNotHaveBean(WebServerPortListener.class).doesNotHaveBean(ServiceRegistryEndpoint.class);

            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC); // once only
            List<InstanceRegisteredEvent<?>> events = ctx.getBean(RegisteredEvents.class).events;
            assertThat(events).hasSize(1);
            assertThat(events.get(0).getConfig()).isInstanceOf(GossipDiscoveryProperties.class);
            assertThat(ctx.getBean(GossipAutoServiceRegistration.class).isRegistered()).isFalse();
            assertThat(ctx.getBean(GossipNode.class).tags()).doesNotContainKeys(ServiceTags.SERVICE, ServiceTags.PORT);
            // it still discovers others
            assertThat(ctx.getBean(DiscoveryClient.class).getInstances("orders")).isEmpty();
        });
    }

    @Test
    void autoRegistrationDisabledKeepsTheRegistryButNeverRegisters() {
        runner.withBean(RegisteredEvents.class).withPropertyValues(
                "spring.cloud.service-registry.auto-registration.enabled=false",
                "spring.cloud.gossip.discovery.port=8080").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipServiceRegistry.class)
                    .hasSingleBean(GossipRegistration.class).doesNotHaveBean(GossipAutoServiceRegistration.class)
                    .doesNotHaveBean(AutoServiceRegistration.class);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(GossipServiceRegistry.class).isRegistered()).isFalse();
            // discovery is ready all the same: the discovery health indicator must not stay UNKNOWN
            assertThat(ctx.getBean(RegisteredEvents.class).events).hasSize(1);

            // manual registration still works
            GossipServiceRegistry registry = ctx.getBean(GossipServiceRegistry.class);
            registry.register(ctx.getBean(GossipRegistration.class));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> ctx.getBean(DiscoveryClient.class).getInstances("orders").size() == 1);
        });
    }

    @Test
    void serviceRegistryDisabledLeavesNoRegistration() {
        runner.withPropertyValues("spring.cloud.service-registry.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipDiscoveryClient.class);
            assertThat(ctx).doesNotHaveBean(GossipServiceRegistry.class).doesNotHaveBean(GossipRegistration.class)
                    .doesNotHaveBean(GossipAutoServiceRegistration.class);
        });
    }

    @Test
    void withoutAWebServerNothingIsAdvertisedUntilAPortIsConfigured() {
        runner.withBean(RegisteredEvents.class).run(ctx -> {
            GossipRegistration registration = ctx.getBean(GossipRegistration.class);
            assertThat(registration.getPort()).isZero();
            assertThat(registration.getHost()).isEqualTo("127.0.0.1");
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(GossipServiceRegistry.class).isRegistered()).isFalse();
            assertThat(ctx.getBean(GossipNode.class).tags()).doesNotContainKeys(ServiceTags.SERVICE, ServiceTags.PORT);
            assertThat(ctx.getBean(RegisteredEvents.class).events).hasSize(1); // discovery health leaves UNKNOWN
        });
        runner.withPropertyValues("spring.cloud.gossip.discovery.port=9090").run(ctx -> {
            assertThat(ctx.getBean(GossipRegistration.class).getPort()).isEqualTo(9090);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(GossipServiceRegistry.class).isRegistered()).isTrue();
            GossipNode node = ctx.getBean(GossipNode.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> "9090".equals(node.tags().get(ServiceTags.PORT)));
            assertThat(node.tags()).containsEntry(ServiceTags.SERVICE, "orders").containsEntry(ServiceTags.STATUS, "UP")
                    .doesNotContainKey(ServiceTags.HOST); // the gossip address already says it
        });
    }

    @Test
    void inAWebAppTheWebServerPortIsAdvertised() {
        new WebApplicationContextRunner().withConfiguration(GOSSIP).withConfiguration(CLOUD)
                .withPropertyValues(StarterContexts.PROPERTIES).run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(WebServerPortListener.class);
                    ctx.publishEvent(webServerStarted(18080, null));
                    ctx.publishEvent(webServerStarted(18081, "management"));
                    GossipRegistration registration = ctx.getBean(GossipRegistration.class);
                    assertThat(registration.getPort()).isEqualTo(18080);
                    assertThat(registration.getMetadata()).containsEntry(ServiceTags.MANAGEMENT_PORT, "18081");
                    AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                    DiscoveryClient discovery = ctx.getBean(DiscoveryClient.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").size() == 1);
                    assertThat(discovery.getInstances("orders").get(0).getPort()).isEqualTo(18080);
                });
        // a configured port wins over the web server's
        new WebApplicationContextRunner().withConfiguration(GOSSIP).withConfiguration(CLOUD)
                .withPropertyValues(StarterContexts.PROPERTIES).withPropertyValues("spring.cloud.gossip.discovery.port=443").run(ctx -> {
                    ctx.publishEvent(webServerStarted(18080, null));
                    assertThat(ctx.getBean(GossipRegistration.class).getPort()).isEqualTo(443);
                });
    }

    @Test
    void blockingDiscoveryDisabledLeavesOnlyTheReactiveClient() {
        Consumer<AssertableApplicationContext> onlyReactive = ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipReactiveDiscoveryClient.class)
                    .doesNotHaveBean(GossipDiscoveryClient.class);
            assertThat(ctx.getBeansOfType(DiscoveryClient.class).values())
                    .noneMatch(GossipDiscoveryClient.class::isInstance);
            assertThat(ctx.getBean(ReactiveDiscoveryClient.class)).isInstanceOf(ReactiveCompositeDiscoveryClient.class);
        };
        runner.withPropertyValues("spring.cloud.discovery.blocking.enabled=false").run(onlyReactive::accept);
        new ReactiveWebApplicationContextRunner().withConfiguration(GOSSIP).withConfiguration(CLOUD)
                .withPropertyValues(StarterContexts.PROPERTIES).withPropertyValues("spring.cloud.discovery.blocking.enabled=false")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(GossipReactiveDiscoveryClient.class)
                            .doesNotHaveBean(GossipDiscoveryClient.class);
                    assertThat(gossipLoadBalancerSpecification(ctx)).isTrue();
                });
    }

    @Test
    void aReactiveWebAppGetsTheReactiveClient() {
        // As in Spring Cloud itself, the web application type does not switch the blocking client
        // off: only spring.cloud.discovery.blocking.enabled=false does.
        new ReactiveWebApplicationContextRunner().withConfiguration(GOSSIP).withConfiguration(CLOUD)
                .withPropertyValues(StarterContexts.PROPERTIES).run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(GossipReactiveDiscoveryClient.class)
                            .hasSingleBean(GossipDiscoveryClient.class);
                    assertThat(ctx.getBean(ReactiveDiscoveryClient.class)).isInstanceOf(ReactiveCompositeDiscoveryClient.class);
                });
    }

    @Test
    void reactiveDiscoveryDisabledLeavesOnlyTheBlockingClient() {
        runner.withPropertyValues("spring.cloud.discovery.reactive.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipDiscoveryClient.class)
                    .doesNotHaveBean(GossipReactiveDiscoveryClient.class).doesNotHaveBean(ReactiveDiscoveryClient.class);
        });
    }

    // ---------------------------------------------------------------- user beans

    @Test
    void aUserGossipNodeReplacesOurs() {
        runner.withUserConfiguration(UserNodeConfiguration.class).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipNode.class);
            GossipNode node = ctx.getBean(GossipNode.class);
            assertThat(node.name()).isEqualTo("user-node");
            assertThat(ctx.getBean(GossipRegistration.class).getInstanceId()).isEqualTo("user-node");
            assertThat(ctx).hasSingleBean(GossipDiscoveryClient.class).hasSingleBean(GossipServiceRegistry.class);
        });
    }

    @Test
    void aUserDiscoveryClientJoinsOursInTheComposite() {
        runner.withUserConfiguration(UserDiscoveryClientConfiguration.class)
                .withPropertyValues("spring.cloud.gossip.discovery.port=8080").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(GossipDiscoveryClient.class);
                    AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                    DiscoveryClient composite = ctx.getBean(DiscoveryClient.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> composite.getServices().contains("orders"));
                    assertThat(composite.getServices()).contains("legacy", "orders");
                    assertThat(composite.getInstances("legacy")).extracting(ServiceInstance::getPort).containsExactly(1234);
                });
    }

    @Test
    void userGossipDiscoveryClientsReplaceOurs() {
        runner.withUserConfiguration(UserGossipClientsConfiguration.class).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(GossipDiscoveryClient.class)
                    .hasSingleBean(GossipReactiveDiscoveryClient.class);
            assertThat(ctx.getBean(GossipDiscoveryClient.class).getOrder()).isEqualTo(-7);
            assertThat(ctx.getBean(GossipReactiveDiscoveryClient.class).getOrder()).isEqualTo(-7);
        });
    }

    @Test
    void aUserServiceInstanceListSupplierWinsForItsClient() {
        runner.withUserConfiguration(UserLoadBalancerClientConfiguration.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            LoadBalancerClientFactory factory = ctx.getBean(LoadBalancerClientFactory.class);
            ServiceInstanceListSupplier legacy = factory.getInstance("legacy", ServiceInstanceListSupplier.class);
            assertThat(legacy).isInstanceOf(FixedSupplier.class);
            assertThat(legacy.get().blockFirst()).extracting(ServiceInstance::getPort).containsExactly(1234);
            assertThat(LoadBalancerChains.of(factory.getInstance("orders", ServiceInstanceListSupplier.class)))
                    .endsWith(GossipServiceInstanceListSupplier.class);
        });
    }

    @Test
    void aUserServiceIndexReplacesOurs() {
        runner.withBean("myIndex", ServiceIndex.class, () -> new ServiceIndex(List::of, java.util.Set.of("UP")))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(ServiceIndex.class).hasBean("myIndex");
                    assertThat(ctx).hasSingleBean(GossipDiscoveryClient.class);
                });
    }

    // ---------------------------------------------------------------- health following

    private static final AutoConfigurations HEALTH = AutoConfigurations.of(HealthContributorAutoConfiguration.class,
            HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class);

    @Test
    void aggregateHealthIsNotFollowedByDefault() {
        runner.withConfiguration(HEALTH).withBean("switchable", SwitchableHealth.class)
                .withPropertyValues("spring.cloud.gossip.discovery.port=8080").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(HealthEndpoint.class);
                    assertThat(ctx).doesNotHaveBean(HealthStatusFollower.class);
                    // one shared dependency going DOWN must not take every instance out of discovery
                    AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                    ctx.getBean(SwitchableHealth.class).up = false;
                    assertThat(ctx.getBean(HealthEndpoint.class).health().getStatus().getCode()).isEqualTo("DOWN");
                    assertThat(ctx.getBean(GossipServiceRegistry.class).effectiveStatus()).isEqualTo("UP");
                });
    }

    @Test
    void statusFollowsTheNamedHealthGroupOnly() {
        runner.withConfiguration(HEALTH)
                .withBean("switchable", SwitchableHealth.class)
                .withBean("database", SwitchableHealth.class)
                .withPropertyValues("spring.cloud.gossip.discovery.port=8080",
                        "management.endpoint.health.group.serving.include=switchable",
                        "spring.cloud.gossip.discovery.health-group=serving",
                        "spring.cloud.gossip.discovery.health-check-interval=50ms",
                        "spring.cloud.gossip.discovery.health-hysteresis=1").run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(HealthStatusFollower.class);
                    AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                    DiscoveryClient discovery = ctx.getBean(DiscoveryClient.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").size() == 1);

                    ((SwitchableHealth) ctx.getBean("database")).up = false; // outside the group
                    assertThat(ctx.getBean(HealthEndpoint.class).health().getStatus().getCode()).isEqualTo("DOWN");
                    Thread.sleep(300); // six checks: nothing may change (a negative needs a window)
                    assertThat(discovery.getInstances("orders")).hasSize(1);

                    ((SwitchableHealth) ctx.getBean("switchable")).up = false; // in the group
                    await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").isEmpty());
                    assertThat(ctx.getBean(GossipNode.class).tags()).containsEntry(ServiceTags.STATUS, "DOWN");
                    ((SwitchableHealth) ctx.getBean("switchable")).up = true;
                    await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").size() == 1);
                });
    }

    @Test
    void anUnknownHealthGroupFailsTheStartNamingTheProperty() {
        runner.withConfiguration(HEALTH).withPropertyValues("spring.cloud.gossip.discovery.health-group=readyness")
                .run(ctx -> assertThat(ctx).getFailure().rootCause()
                        .hasMessageContaining("Health group 'readyness' does not exist")
                        .isInstanceOf(dev.gossip.spring.support.GossipStartupException.class)
                        .extracting(e -> ((dev.gossip.spring.support.GossipStartupException) e).getProperty())
                        .isEqualTo("spring.cloud.gossip.discovery.health-group"));
    }

    @Test
    void readinessAfterStartUpTakesTheInstanceOutOfServiceAndBack() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.port=8080").run(ctx -> {
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            DiscoveryClient discovery = ctx.getBean(DiscoveryClient.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").size() == 1);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.REFUSING_TRAFFIC);
            await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").isEmpty());
            assertThat(ctx.getBean(GossipNode.class).tags()).containsEntry(ServiceTags.STATUS, "OUT_OF_SERVICE");
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            await().atMost(Duration.ofSeconds(5)).until(() -> discovery.getInstances("orders").size() == 1);
            // an operator's OUT_OF_SERVICE survives readiness flips
            GossipServiceRegistry registry = ctx.getBean(GossipServiceRegistry.class);
            registry.setStatus(null, "OUT_OF_SERVICE");
            AvailabilityChangeEvent.publish(ctx, ReadinessState.REFUSING_TRAFFIC);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(registry.effectiveStatus()).isEqualTo("OUT_OF_SERVICE");
        });
    }

    // ---------------------------------------------------------------- helpers

    /** A port free for both UDP and TCP right now. */
    static int freeUdpAndTcpPort() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                 java.net.DatagramSocket udp = new java.net.DatagramSocket(tcp.getLocalPort(),
                         java.net.InetAddress.getLoopbackAddress())) {
                return tcp.getLocalPort();
            } catch (java.net.BindException e) {
                // the UDP side was taken: try another
            }
        }
        throw new IllegalStateException("no port free for UDP and TCP");
    }

    /** Nobody listens on {@code port}: both UDP and TCP can be bound. */
    static void assertPortFree(int port) throws Exception {
        try (java.net.ServerSocket tcp = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.DatagramSocket udp = new java.net.DatagramSocket(port, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(tcp.isBound() && udp.isBound()).isTrue();
        }
    }

    private static void assertNoGossipBeans(AssertableApplicationContext ctx) {
        for (Class<?> type : GOSSIP_BEANS) {
            assertThat(ctx).as(type.getSimpleName()).doesNotHaveBean(type);
        }
        assertThat(Arrays.stream(ctx.getBeanDefinitionNames()).map(ctx::getType))
                .noneMatch(t -> t != null && t.getName().startsWith("dev.gossip."));
    }

    /** Whether the default load-balancer configuration is ours. */
    private static boolean gossipLoadBalancerSpecification(ApplicationContext ctx) {
        return ctx.getBeansOfType(LoadBalancerClientSpecification.class).values().stream()
                .anyMatch(s -> s.getName().startsWith("default.") && Arrays.asList(s.getConfiguration())
                        .contains(GossipLoadBalancerClientConfiguration.class));
    }

    /** The event a started web server publishes; proxies, as mocking them costs seconds. */
    private static WebServerInitializedEvent webServerStarted(int port, String namespace) {
        WebServer server = proxy(WebServer.class, "getPort", port);
        WebServerApplicationContext context = proxy(WebServerApplicationContext.class, "getServerNamespace", namespace);
        return new WebServerInitializedEvent(server) {
            @Override
            public WebServerApplicationContext getApplicationContext() {
                return context;
            }
        };
    }

    private static <T> T proxy(Class<T> type, String method, Object value) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return value;
            }
            if (m.getName().equals("toString")) {
                return type.getSimpleName() + "[" + method + "=" + value + "]";
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }

    static class SwitchableHealth implements HealthIndicator {
        volatile boolean up = true;

        @Override
        public Health health() {
            return up ? Health.up().build() : Health.down().build();
        }
    }

    static class RegisteredEvents implements ApplicationListener<InstanceRegisteredEvent<?>> {
        final List<InstanceRegisteredEvent<?>> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(InstanceRegisteredEvent<?> event) {
            events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserNodeConfiguration {
        @Bean
        GossipNode myGossipNode() {
            GossipNode node = GossipNode.create(GossipConfig.builder().nodeName("user-node")
                    .bindAddress("127.0.0.1").bindPort(0).build());
            node.start().join();
            return node;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDiscoveryClientConfiguration {
        @Bean
        DiscoveryClient legacyDiscoveryClient() {
            return new DiscoveryClient() {
                @Override
                public String description() {
                    return "legacy";
                }

                @Override
                public List<ServiceInstance> getInstances(String serviceId) {
                    return "legacy".equals(serviceId)
                            ? List.of(new DefaultServiceInstance("legacy-1", "legacy", "127.0.0.1", 1234, false))
                            : List.of();
                }

                @Override
                public List<String> getServices() {
                    return List.of("legacy");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserGossipClientsConfiguration {
        @Bean
        GossipDiscoveryClient myGossipDiscoveryClient(ServiceIndex index, GossipNode node) {
            return new GossipDiscoveryClient(index, node, -7);
        }

        @Bean
        GossipReactiveDiscoveryClient myGossipReactiveDiscoveryClient(ServiceIndex index, GossipNode node) {
            return new GossipReactiveDiscoveryClient(index, node, -7);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @LoadBalancerClient(name = "legacy", configuration = LegacySupplierConfiguration.class)
    static class UserLoadBalancerClientConfiguration {
    }

    static class LegacySupplierConfiguration {
        @Bean
        ServiceInstanceListSupplier legacySupplier() {
            return new FixedSupplier();
        }
    }

    static class FixedSupplier implements ServiceInstanceListSupplier {
        @Override
        public String getServiceId() {
            return "legacy";
        }

        @Override
        public Flux<List<ServiceInstance>> get() {
            return Flux.just(List.of(new DefaultServiceInstance("legacy-1", "legacy", "127.0.0.1", 1234, false)));
        }
    }

}
