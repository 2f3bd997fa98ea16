package dev.gossip.spring.loadbalancer;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.GossipDiscoveryClient;
import dev.gossip.spring.discovery.GossipReactiveDiscoveryClient;
import dev.gossip.spring.discovery.ServiceIndex;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClient;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplierBuilder;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.env.Environment;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The default configuration of every load-balancer client: gossip's push-based list as the base,
 * our filter of suspected and unreachable instances, then the {@code spring.cloud.loadbalancer.configurations} preset, built with
 * Spring Cloud LoadBalancer's own builder. The bean is a {@link Fallback}: a supplier the user
 * declares (in {@code @LoadBalancerClient(configuration = ...)} or their own default
 * configuration) wins whatever order the configurations are registered in.
 */
@Configuration(proxyBeanMethods = false)
public class GossipLoadBalancerClientConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Fallback
    public ServiceInstanceListSupplier gossipServiceInstanceListSupplier(ConfigurableApplicationContext context,
                                                                       ServiceIndex index,
                                                                       GossipDiscoveryProperties properties) {
        Environment env = context.getEnvironment();
        String serviceId = env.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
        boolean reactive = reactive(context);
        ServiceInstanceListSupplierBuilder builder = ServiceInstanceListSupplier.builder()
                .withBase(new GossipServiceInstanceListSupplier(serviceId, index, otherDiscoveryClients(context, reactive)));
        boolean suspects = properties.getLoadBalancer().isAvoidSuspects();
        Quarantine unreachable = context.getBeanProvider(Quarantine.class).getIfAvailable();
        if (suspects || unreachable != null) {
            builder.with((ctx, delegate) -> new SuspectAvoidingServiceInstanceListSupplier(delegate, suspects, unreachable));
        }
        LoadBalancerPreset.of(env).decorate(builder, context, reactive);
        return builder.build(context);
    }

    /** Among the healthy instances, the nearest by estimated RTT ({@code load-balancer.prefer-nearest}). */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty("spring.cloud.gossip.discovery.load-balancer.prefer-nearest")
    @Fallback
    public ReactorLoadBalancer<ServiceInstance> gossipNearestInstanceLoadBalancer(
            ConfigurableApplicationContext context, GossipNode node) {
        return new NearestInstanceLoadBalancer(context.getBeanProvider(ServiceInstanceListSupplier.class), node,
                new SplittableRandom());
    }

    /** Spring Cloud's reactive chain applies when reactive discovery is on and a reactive client exists. */
    private static boolean reactive(ConfigurableApplicationContext context) {
        return context.getEnvironment().getProperty("spring.cloud.discovery.reactive.enabled", Boolean.class, true)
                && context.getBeanProvider(ReactiveDiscoveryClient.class).getIfAvailable() != null;
    }

    /**
     * The application's other DiscoveryClients, for services gossip does not know, first non-empty
     * answer in their order (as Spring Cloud's composite answers); never the gossip clients
     * themselves, which may list instances that are not UP. Bounded by
     * spring.cloud.loadbalancer.service-discovery.timeout as Spring Cloud's own supplier is.
     */
    private static Function<String, Mono<List<ServiceInstance>>> otherDiscoveryClients(
            ConfigurableApplicationContext context, boolean reactive) {
        Duration timeout = context.getEnvironment().getProperty("spring.cloud.loadbalancer.service-discovery.timeout",
                Duration.class, Duration.ofSeconds(30));
        if (reactive) {
            List<ReactiveDiscoveryClient> others = reactiveClients(context.getBean(ReactiveDiscoveryClient.class));
            return id -> Flux.fromIterable(others).concatMap(c -> c.getInstances(id).collectList())
                    .filter(l -> !l.isEmpty()).next().defaultIfEmpty(List.of()).timeout(timeout);
        }
        DiscoveryClient client = context.getBeanProvider(DiscoveryClient.class).getIfAvailable();
        List<DiscoveryClient> others = client == null ? List.of() : blockingClients(client);
        return id -> Mono.fromCallable(() -> {
            for (DiscoveryClient c : others) {
                List<ServiceInstance> found = c.getInstances(id);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return List.<ServiceInstance>of();
        }).subscribeOn(Schedulers.boundedElastic()).timeout(timeout);
    }

    private static List<ReactiveDiscoveryClient> reactiveClients(ReactiveDiscoveryClient client) {
        List<ReactiveDiscoveryClient> all = client instanceof ReactiveCompositeDiscoveryClient composite
                ? composite.getDiscoveryClients() : List.of(client);
        return all.stream().filter(c -> !(c instanceof GossipReactiveDiscoveryClient)).toList();
    }

    private static List<DiscoveryClient> blockingClients(DiscoveryClient client) {
        List<DiscoveryClient> all = client instanceof CompositeDiscoveryClient composite
                ? composite.getDiscoveryClients() : List.of(client);
        return all.stream().filter(c -> !(c instanceof GossipDiscoveryClient)).toList();
    }
}
