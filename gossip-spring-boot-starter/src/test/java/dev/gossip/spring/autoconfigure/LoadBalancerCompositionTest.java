package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.spring.loadbalancer.CallFailureLifecycle;
import dev.gossip.spring.loadbalancer.ConnectRetries;
import dev.gossip.spring.loadbalancer.GossipServiceInstanceListSupplier;
import dev.gossip.spring.loadbalancer.LoadBalancerChains;
import dev.gossip.spring.loadbalancer.NearestInstanceLoadBalancer;
import dev.gossip.spring.loadbalancer.Quarantine;
import dev.gossip.spring.loadbalancer.SuspectAvoidingServiceInstanceListSupplier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.blocking.client.BlockingLoadBalancerClient;
import org.springframework.cloud.loadbalancer.config.BlockingLoadBalancerClientAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.core.CachingServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.DiscoveryClientServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;
import reactor.core.publisher.Flux;

/**
 * Gossip is the base that Spring Cloud LoadBalancer's presets decorate: every value of
 * spring.cloud.loadbalancer.configurations builds its own chain over our push-based list,
 * a user's supplier wins whatever the configuration order, the other DiscoveryClients stay
 * reachable, and our zone reaches LoadBalancerZoneConfig.
 */
class LoadBalancerCompositionTest {

    private final ApplicationContextRunner runner = StarterContexts.runner()
            .withBean(RestTemplate.class, RestTemplate::new); // what the health-check preset probes with

    private static ServiceInstanceListSupplier supplier(ApplicationContext ctx, String client) {
        return ctx.getBean(LoadBalancerClientFactory.class).getInstance(client, ServiceInstanceListSupplier.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "default,                      ",
            "zone-preference,              ZonePreferenceServiceInstanceListSupplier",
            "health-check,                 HealthCheckServiceInstanceListSupplier",
            "request-based-sticky-session, RequestBasedStickySessionServiceInstanceListSupplier",
            "same-instance-preference,     SameInstancePreferenceServiceInstanceListSupplier",
            "weighted,                     WeightedServiceInstanceListSupplier",
            "subset,                       SubsetServiceInstanceListSupplier",
            "api-version,                  ReactiveApiVersionServiceInstanceListSupplier"})
    void everyPresetDecoratesTheGossipBaseWithoutACache(String preset, String decorator) {
        runner.withPropertyValues("spring.cloud.loadbalancer.configurations=" + preset).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            List<String> chain = LoadBalancerChains.of(supplier(ctx, "billing")).stream()
                    .map(Class::getSimpleName).toList();
            if (decorator != null) {
                assertThat(chain).containsSubsequence(decorator, SuspectAvoidingServiceInstanceListSupplier.class
                        .getSimpleName(), GossipServiceInstanceListSupplier.class.getSimpleName());
            }
            assertThat(chain).last().isEqualTo(GossipServiceInstanceListSupplier.class.getSimpleName());
            assertThat(chain).doesNotContain(CachingServiceInstanceListSupplier.class.getSimpleName(),
                    DiscoveryClientServiceInstanceListSupplier.class.getSimpleName());
        });
    }

    @Test
    void aPresetCanBeChosenPerClient() {
        runner.withPropertyValues("spring.cloud.loadbalancer.clients.billing.configurations=same-instance-preference")
                .run(ctx -> {
                    assertThat(LoadBalancerChains.of(supplier(ctx, "billing")).stream().map(Class::getSimpleName))
                            .contains("SameInstancePreferenceServiceInstanceListSupplier");
                    assertThat(LoadBalancerChains.of(supplier(ctx, "orders")).stream().map(Class::getSimpleName))
                            .doesNotContain("SameInstancePreferenceServiceInstanceListSupplier");
                });
    }

    @Test
    void theSuspectAndUnreachableFiltersCanBeSwitchedOff() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.load-balancer.avoid-suspects=false",
                "spring.cloud.gossip.discovery.load-balancer.avoid-unreachable=false").run(ctx -> {
                    assertThat(LoadBalancerChains.of(supplier(ctx, "billing")))
                            .containsExactly(GossipServiceInstanceListSupplier.class);
                    assertThat(ctx).doesNotHaveBean(Quarantine.class).doesNotHaveBean(CallFailureLifecycle.class);
                });
        // Either one keeps the filter, and the lifecycle that feeds it comes with avoid-unreachable.
        runner.withPropertyValues("spring.cloud.gossip.discovery.load-balancer.avoid-suspects=false").run(ctx -> {
            assertThat(LoadBalancerChains.of(supplier(ctx, "billing")))
                    .containsExactly(SuspectAvoidingServiceInstanceListSupplier.class, GossipServiceInstanceListSupplier.class);
            assertThat(ctx).hasSingleBean(Quarantine.class).hasSingleBean(CallFailureLifecycle.class);
        });
    }

    @Test
    void preferNearestReplacesRoundRobinAndConnectRetriesComeWithTheirSwitch() {
        ApplicationContextRunner runner = this.runner.withConfiguration(
                AutoConfigurations.of(BlockingLoadBalancerClientAutoConfiguration.class));
        runner.run(ctx -> {
            assertThat(ctx.getBean(LoadBalancerClientFactory.class).getInstance("billing"))
                    .isInstanceOf(RoundRobinLoadBalancer.class);
            assertThat(ctx).hasSingleBean(ConnectRetries.class);
            assertThat(ctx.getBean(LoadBalancerClient.class).getClass().getSimpleName())
                    .isEqualTo("RetryingLoadBalancerClient");
        });
        runner.withPropertyValues("spring.cloud.gossip.discovery.load-balancer.prefer-nearest=true",
                "spring.cloud.gossip.discovery.load-balancer.retry-connect-failures=false").run(ctx -> {
                    assertThat(ctx.getBean(LoadBalancerClientFactory.class).getInstance("billing"))
                            .isInstanceOf(NearestInstanceLoadBalancer.class);
                    assertThat(ctx).doesNotHaveBean(ConnectRetries.class);
                    assertThat(ctx.getBean(LoadBalancerClient.class)).isInstanceOf(BlockingLoadBalancerClient.class);
                });
    }

    @Test
    void switchedOffSpringCloudsOwnChainReadsTheDiscoveryClients() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.load-balancer.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            List<Class<?>> chain = LoadBalancerChains.of(supplier(ctx, "billing"));
            assertThat(chain).doesNotContain(GossipServiceInstanceListSupplier.class)
                    .contains(DiscoveryClientServiceInstanceListSupplier.class);
        });
    }

    @Test
    void instancesOfAnotherDiscoveryClientStayReachable() {
        runner.withPropertyValues("spring.cloud.discovery.client.simple.instances.legacy[0].uri=http://10.9.9.9:8088")
                .run(ctx -> {
                    List<ServiceInstance> legacy = supplier(ctx, "legacy").get().blockFirst();
                    assertThat(legacy).extracting(ServiceInstance::getPort).containsExactly(8088);
                });
    }

    @Test
    void anInstanceDiscoveryListsButThatIsNotUpIsNeverOffered() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.port=8080",
                "spring.cloud.gossip.discovery.include-statuses=UP,OUT_OF_SERVICE").run(ctx -> {
                    org.springframework.boot.availability.AvailabilityChangeEvent.publish(ctx,
                            org.springframework.boot.availability.ReadinessState.ACCEPTING_TRAFFIC);
                    ctx.getBean(dev.gossip.spring.serviceregistry.GossipServiceRegistry.class)
                            .setStatus(null, "OUT_OF_SERVICE");
                    org.springframework.cloud.client.discovery.DiscoveryClient discovery =
                            ctx.getBean(org.springframework.cloud.client.discovery.DiscoveryClient.class);
                    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                            discovery.getInstances("orders").stream()
                                    .anyMatch(si -> "OUT_OF_SERVICE".equals(si.getMetadata().get("status"))));
                    // neither from gossip's base nor through the fallback to "other" DiscoveryClients
                    assertThat(supplier(ctx, "orders").get().blockFirst()).isEmpty();
                });
    }

    @Test
    void aUsersDefaultConfigurationWinsEveryTime() {
        // NamedContextFactory keeps default configurations in a hash map: no order to rely on
        for (int i = 0; i < 3; i++) {
            runner.withUserConfiguration(UserDefaults.class).run(ctx -> {
                assertThat(ctx).hasNotFailed();
                assertThat(LoadBalancerChains.of(supplier(ctx, "billing"))).contains(Fixed.class)
                        .doesNotContain(GossipServiceInstanceListSupplier.class);
            });
        }
    }

    @Test
    void ourZoneFeedsLoadBalancerZoneConfigUnlessSpringCloudsZoneIsSet() {
        runner.withPropertyValues("spring.cloud.gossip.discovery.zone=eu-1").run(ctx -> {
            assertThat(ctx.getBean(LoadBalancerZoneConfig.class).getZone()).isEqualTo("eu-1");
            assertThat(LoadBalancerChains.of(supplier(ctx, "billing")).stream().map(Class::getSimpleName))
                    .contains("ZonePreferenceServiceInstanceListSupplier");
        });
        runner.withPropertyValues("spring.cloud.gossip.discovery.zone=eu-1", "spring.cloud.loadbalancer.zone=us-2")
                .run(ctx -> assertThat(ctx.getBean(LoadBalancerZoneConfig.class).getZone()).isEqualTo("us-2"));
    }

    @Test
    void anUnknownPresetFailsNamingTheValidOnes() {
        runner.withPropertyValues("spring.cloud.loadbalancer.configurations=zone-preferences").run(ctx ->
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> supplier(ctx, "billing")))
                        .rootCause().hasMessageContaining("Unknown spring.cloud.loadbalancer.configurations value"
                                + " 'zone-preferences'").hasMessageContaining("same-instance-preference"));
    }

    @Configuration(proxyBeanMethods = false)
    @LoadBalancerClients(defaultConfiguration = UserSupplier.class)
    static class UserDefaults {
    }

    static class UserSupplier {
        @Bean
        ServiceInstanceListSupplier userSupplier() {
            return new Fixed();
        }
    }

    static class Fixed implements ServiceInstanceListSupplier {
        @Override
        public String getServiceId() {
            return "any";
        }

        @Override
        public Flux<List<ServiceInstance>> get() {
            return Flux.just(List.of(new DefaultServiceInstance("x", "any", "127.0.0.1", 1, false, Map.of())));
        }
    }
}
