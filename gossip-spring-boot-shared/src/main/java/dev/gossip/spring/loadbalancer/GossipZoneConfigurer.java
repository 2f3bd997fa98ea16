package dev.gossip.spring.loadbalancer;

import dev.gossip.spring.GossipDiscoveryProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.cloud.loadbalancer.config.LoadBalancerZoneConfig;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Tells Spring Cloud LoadBalancer our zone (spring.cloud.gossip.discovery.zone) unless
 * spring.cloud.loadbalancer.zone names one, as Eureka does with its metadata zone; again after a
 * refresh. Zone preference then works with no second property.
 */
public class GossipZoneConfigurer implements SmartInitializingSingleton, ApplicationListener<RefreshScopeRefreshedEvent> {

    private final ObjectProvider<LoadBalancerZoneConfig> zoneConfig;
    private final GossipDiscoveryProperties properties;
    private final Environment env;

    public GossipZoneConfigurer(ObjectProvider<LoadBalancerZoneConfig> zoneConfig, GossipDiscoveryProperties properties,
                                Environment env) {
        this.zoneConfig = zoneConfig;
        this.properties = properties;
        this.env = env;
    }

    @Override
    public void afterSingletonsInstantiated() {
        apply();
    }

    @Override
    public void onApplicationEvent(RefreshScopeRefreshedEvent event) {
        apply();
    }

    private void apply() {
        String explicit = env.getProperty("spring.cloud.loadbalancer.zone");
        if (explicit != null && !explicit.isBlank()) {
            return;
        }
        String zone = properties.getZone();
        zoneConfig.ifAvailable(config -> config.setZone(zone == null || zone.isBlank() ? null : zone));
    }
}
