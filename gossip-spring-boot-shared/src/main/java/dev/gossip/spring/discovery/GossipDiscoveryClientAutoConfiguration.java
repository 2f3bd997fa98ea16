package dev.gossip.spring.discovery;

import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipDiscoveryProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryHealthIndicatorEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration;
import org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.health.DiscoveryClientHealthIndicatorProperties;
import org.springframework.cloud.client.discovery.health.reactive.ReactiveDiscoveryClientHealthIndicator;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The blocking and reactive DiscoveryClients over the gossip index. */
@AutoConfiguration(after = {GossipAutoConfiguration.class, ReactiveCompositeDiscoveryClientAutoConfiguration.class},
        before = {SimpleDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class,
                SimpleReactiveDiscoveryClientAutoConfiguration.class, ReactiveCommonsClientAutoConfiguration.class})
@ConditionalOnGossipDiscoveryEnabled
@ConditionalOnBean(ServiceIndex.class)
public class GossipDiscoveryClientAutoConfiguration {

    @Bean
    GossipDiscoveryReadyPublisher gossipDiscoveryReadyPublisher(
            ObjectProvider<dev.gossip.spring.serviceregistry.GossipAutoServiceRegistration> autoRegistration,
            GossipDiscoveryProperties properties, ApplicationEventPublisher publisher) {
        return new GossipDiscoveryReadyPublisher(autoRegistration, properties, publisher);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBlockingDiscoveryEnabled
    static class Blocking {
        @Bean
        @ConditionalOnMissingBean
        GossipDiscoveryClient gossipDiscoveryClient(ServiceIndex index, DiscoverySource source,
                                                    GossipDiscoveryProperties properties) {
            return new GossipDiscoveryClient(index, source, properties.getOrder());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnReactiveDiscoveryEnabled
    static class Reactive {
        @Bean
        @ConditionalOnMissingBean
        GossipReactiveDiscoveryClient gossipReactiveDiscoveryClient(ServiceIndex index, DiscoverySource source,
                                                                    GossipDiscoveryProperties properties) {
            return new GossipReactiveDiscoveryClient(index, source, properties.getOrder());
        }

        /**
         * Each reactive client brings its own health indicator (Spring Cloud only adds the simple
         * one's): without it, /actuator/health's reactiveDiscoveryClients lacks the gossip client.
         */
        @Configuration(proxyBeanMethods = false)
        @Conditional(OnBootHealthCondition.Reactive.class)
        @ConditionalOnDiscoveryHealthIndicatorEnabled
        @EnableConfigurationProperties(DiscoveryClientHealthIndicatorProperties.class)
        static class Health {
            @Bean
            @ConditionalOnMissingBean(name = "gossipReactiveDiscoveryClientHealthIndicator")
            ReactiveDiscoveryClientHealthIndicator gossipReactiveDiscoveryClientHealthIndicator(
                    GossipReactiveDiscoveryClient client, DiscoveryClientHealthIndicatorProperties properties) {
                return new ReactiveDiscoveryClientHealthIndicator(client, properties);
            }
        }
    }
}
