package dev.gossip.spring.client;

import dev.gossip.spring.ConditionalOnGossipEnabled;
import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.DiscoverySource;
import dev.gossip.spring.discovery.GossipDiscoveryClientAutoConfiguration;
import dev.gossip.spring.discovery.GossipHeartbeatPublisher;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.loadbalancer.GossipLoadBalancerAutoConfiguration;
import dev.gossip.spring.loadbalancer.MemberProbes;
import dev.gossip.spring.support.GossipStartupException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Thin client mode ({@code spring.cloud.gossip.client.catalog-urls}): no gossip node; the service
 * index follows a member's catalog over HTTP, and the same discovery clients and load-balancer
 * configuration as on a member read it.
 */
@AutoConfiguration(after = UtilAutoConfiguration.class,
        before = {GossipDiscoveryClientAutoConfiguration.class, GossipLoadBalancerAutoConfiguration.class})
@ConditionalOnDiscoveryEnabled
@ConditionalOnGossipEnabled
@Conditional(GossipMode.Client.class)
@EnableConfigurationProperties({GossipClientProperties.class, GossipDiscoveryProperties.class})
public class GossipClientAutoConfiguration {

    private static final String PREFER_NEAREST = "spring.cloud.gossip.discovery.load-balancer.prefer-nearest";

    @Bean
    public CatalogWatcher gossipCatalogWatcher(GossipClientProperties properties, GossipDiscoveryProperties discovery,
                                               Environment env) {
        if (env.getProperty(PREFER_NEAREST, Boolean.class, false)) {
            throw new GossipStartupException(PREFER_NEAREST, PREFER_NEAREST + " needs round-trip estimates from gossip,"
                    + " which a thin client (" + GossipClientProperties.PREFIX + ".catalog-urls) does not take part in",
                    "Remove " + PREFER_NEAREST + ", or make this application a gossip member by removing "
                            + GossipClientProperties.PREFIX + ".catalog-urls.", null);
        }
        return new CatalogWatcher(properties, discovery.getIncludeStatuses());
    }

    @Bean
    public ServiceIndex gossipServiceIndex(CatalogWatcher watcher) {
        return watcher.index();
    }

    @Bean
    public DiscoverySource gossipDiscoverySource(CatalogWatcher watcher) {
        return watcher::probe;
    }

    @Bean
    public MemberProbes gossipMemberProbes(CatalogWatcher watcher) {
        return watcher.memberProbes();
    }

    /** HeartbeatEvent after changes, as on a member (Gateway's route refresh listens). */
    @Bean
    public GossipHeartbeatPublisher gossipHeartbeatPublisher(ServiceIndex index, ApplicationEventPublisher publisher,
                                                             GossipDiscoveryProperties discovery) {
        return new GossipHeartbeatPublisher(index, publisher, discovery.getHeartbeatDelay());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean
        MeterBinder gossipCatalogClientMetrics(CatalogWatcher watcher) {
            return registry -> {
                Gauge.builder("gossip.client.catalog.connected", watcher, w -> w.connectedTo().isPresent() ? 1 : 0)
                        .description("1 while a catalog watch is open").register(registry);
                FunctionCounter.builder("gossip.client.catalog.connects", watcher, CatalogWatcher::connects)
                        .description("Catalog watches opened").register(registry);
                FunctionCounter.builder("gossip.client.catalog.events", watcher, CatalogWatcher::events)
                        .description("Catalog events applied").register(registry);
                FunctionCounter.builder("gossip.client.catalog.dropped", watcher, CatalogWatcher::dropped)
                        .description("Catalog events rejected; each restarts the watch").register(registry);
            };
        }
    }
}
