package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;

/** Makes the gossip supplier the default for every {@code @LoadBalanced} client. */
@AutoConfiguration(after = GossipAutoConfiguration.class, before = LoadBalancerAutoConfiguration.class)
@ConditionalOnGossipDiscoveryEnabled
@ConditionalOnClass(LoadBalancerClientFactory.class)
@ConditionalOnBean(dev.gossip.spring.discovery.ServiceIndex.class)
@LoadBalancerClients(defaultConfiguration = GossipLoadBalancerClientConfiguration.class)
public class GossipLoadBalancerAutoConfiguration {
}
