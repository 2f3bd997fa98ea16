package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.serviceregistry.GossipServiceRegistry;
import dev.gossip.spring.serviceregistry.GossipServiceRegistryAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Endpoint {@code /actuator/gossip} and {@code gossip.*} metrics. The {@code gossip} health indicator comes from the
 * Boot line's own auto-configuration ({@code GossipBootLineAutoConfiguration}): health moved between Boot 3.5 and 4.
 */
@AutoConfiguration(after = {GossipAutoConfiguration.class, GossipServiceRegistryAutoConfiguration.class,
        ServiceRegistryAutoConfiguration.class})
@ConditionalOnBean(GossipNode.class)
public class GossipActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        GossipEndpoint gossipEndpoint(GossipNode node) {
            return new GossipEndpoint(node);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        GossipMetrics gossipMetrics(GossipNode node) {
            return new GossipMetrics(node);
        }
    }

    /** A 400 with the reason for an unknown status on {@code POST /actuator/serviceregistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({EndpointWebExtension.class, ServiceRegistryEndpoint.class})
    static class ServiceRegistryEndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean({ServiceRegistryEndpoint.class, GossipServiceRegistry.class})
        GossipServiceRegistryEndpointWebExtension gossipServiceRegistryEndpointWebExtension(
                ServiceRegistryEndpoint endpoint) {
            return new GossipServiceRegistryEndpointWebExtension(endpoint);
        }
    }
}
