package dev.gossip.spring.loadbalancer;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceIndex;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Makes gossip the base of every {@code @LoadBalanced} client's instance list (see
 * {@link GossipLoadBalancerClientConfiguration}) unless
 * {@code spring.cloud.gossip.discovery.load-balancer.enabled=false}, and tells Spring Cloud
 * LoadBalancer our zone when {@code spring.cloud.loadbalancer.zone} is not set (as Eureka does).
 * Connect failures seen by any load-balanced client keep that instance out of this application's
 * choices until its member answers a direct ping ({@code load-balancer.avoid-unreachable}).
 */
@AutoConfiguration(after = GossipAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnGossipDiscoveryEnabled
@ConditionalOnClass(LoadBalancerClientFactory.class)
@ConditionalOnBean(ServiceIndex.class)
public class GossipLoadBalancerAutoConfiguration {

    @Bean
    GossipZoneConfigurer gossipZoneConfigurer(ObjectProvider<LoadBalancerZoneConfig> zoneConfig,
                                              GossipDiscoveryProperties properties, Environment env) {
        return new GossipZoneConfigurer(zoneConfig, properties, env);
    }

    /** The gossip base for every load-balancer client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.load-balancer.enabled", matchIfMissing = true)
    @LoadBalancerClients(defaultConfiguration = GossipLoadBalancerClientConfiguration.class)
    static class GossipBase {
    }

    /** Instances this application cannot connect to leave its load balancers until their member answers us. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.load-balancer.avoid-unreachable", matchIfMissing = true)
    static class AvoidUnreachable {

        /** Envoy's outlier detection ejects for 30 s at first: the same for an application that refuses us. */
        private static final Duration APP_DOWN_HOLD = Duration.ofSeconds(30);

        @Bean
        UnreachableInstances gossipUnreachableInstances(GossipNode node) {
            return new UnreachableInstances(node, node.config().timings().probeInterval(), APP_DOWN_HOLD);
        }

        @Bean
        CallFailureLifecycle gossipCallFailureLifecycle(UnreachableInstances unreachable) {
            return new CallFailureLifecycle(unreachable);
        }
    }
}
