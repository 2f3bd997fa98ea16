package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceIndex;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.core.env.Environment;

/**
 * The default configuration of every load-balancer client: our push-based supplier. A user's own
 * {@code @LoadBalancerClient(configuration = ...)} supplier still wins.
 */
@Configuration(proxyBeanMethods = false)
public class GossipLoadBalancerClientConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public ServiceInstanceListSupplier gossipServiceInstanceListSupplier(Environment env, ServiceIndex index,
                                                                       GossipDiscoveryProperties properties) {
        String serviceId = env.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
        return new GossipServiceInstanceListSupplier(serviceId, index, properties.getZone());
    }
}
