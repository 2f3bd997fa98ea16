package dev.gossip.spring.serviceregistry;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.spring.ConditionalOnGossipDiscoveryEnabled;
import dev.gossip.spring.GossipAutoConfiguration;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.GossipProperties;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.RegistrationLifecycle;
import org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registration of this application as a service: the registry, auto-registration and readiness
 * following. What needs types that moved between Boot lines (the web server's port, health-group
 * following) is in the line's {@code GossipBootLineAutoConfiguration}.
 */
@AutoConfiguration(after = {GossipAutoConfiguration.class, AutoServiceRegistrationConfiguration.class},
        before = ServiceRegistryAutoConfiguration.class)
@ConditionalOnGossipDiscoveryEnabled
@ConditionalOnBean(GossipNode.class)
@ConditionalOnProperty(value = "spring.cloud.service-registry.enabled", matchIfMissing = true)
public class GossipServiceRegistryAutoConfiguration {

    /** Registration beans exist unless spring.cloud.gossip.discovery.register=false. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "spring.cloud.gossip.discovery.register", matchIfMissing = true)
    static class Registering {

        @Bean
        @ConditionalOnMissingBean
        GossipRegistration gossipRegistration(GossipNode node, GossipDiscoveryProperties d, Environment env,
                                              ObjectProvider<InetUtils> inetUtils) {
            String host = d.getHostname();
            if (host == null || host.isBlank()) {
                InetUtils utils = inetUtils.getIfAvailable();
                host = d.isPreferIpAddress() || utils == null
                        ? node.localMember().map(Member::address).map(a -> a.getHostAddress()).orElse("127.0.0.1")
                        : utils.findFirstNonLoopbackHostInfo().getHostname();
            }
            boolean secure = WebServerSsl.isSecure(d, env);
            return new GossipRegistration(GossipAutoConfiguration.serviceId(d, env),
                    d.getInstanceId() != null && !d.getInstanceId().isBlank() ? d.getInstanceId() : node.name(),
                    host, d.getPort() != null ? d.getPort() : 0, secure, d.getZone(), d.getMetadata(),
                    ManagementMetadata.from(env, secure));
        }

        @Bean
        @ConditionalOnMissingBean
        GossipServiceRegistry gossipServiceRegistry(GossipNode node, GossipProperties properties,
                                                    ObjectProvider<GossipRegistration> registration,
                                                    ObjectProvider<GossipServiceRegistry.OptionalTags> optionalTags) {
            ServiceMetadata.requireNoReservedKeys(properties.getTags(), GossipProperties.PREFIX + ".tags");
            GossipServiceRegistry registry = new GossipServiceRegistry(node, properties::getTags);
            registry.setOptionalTags(optionalTags.orderedStream().toList());
            registration.ifAvailable(registry::checkTagSize); // oversize metadata fails the start, not readiness
            return registry;
        }

        @Bean
        ReadinessStatusFollower gossipReadinessStatusFollower(GossipServiceRegistry registry) {
            return new ReadinessStatusFollower(registry);
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.cloud.context.restart.PauseHandler")
        GossipPauseHandler gossipPauseHandler(GossipServiceRegistry registry) {
            return new GossipPauseHandler(registry);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(value = "spring.cloud.service-registry.auto-registration.enabled", matchIfMissing = true)
    GossipAutoServiceRegistration gossipAutoServiceRegistration(ObjectProvider<GossipServiceRegistry> registry,
                                                                ObjectProvider<GossipRegistration> registration,
                                                                GossipDiscoveryProperties d,
                                                                ApplicationEventPublisher publisher,
                                                                ObjectProvider<RegistrationLifecycle<GossipRegistration>> lifecycles) {
        List<RegistrationLifecycle<GossipRegistration>> hooks = lifecycles.orderedStream().toList();
        return new GossipAutoServiceRegistration(registry.getIfAvailable(), registration.getIfAvailable(), d,
                publisher, hooks);
    }
}
