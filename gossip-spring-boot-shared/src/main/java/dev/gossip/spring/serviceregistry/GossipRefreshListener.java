package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceIndex;
import dev.gossip.spring.support.GossipStartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.context.scope.refresh.RefreshScopeRefreshedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * After a configuration refresh ({@code /actuator/refresh}, Spring Cloud Bus, a Config server
 * change) the properties are rebound; this gossips what changed without a restart: metadata,
 * zone, secure and the node's tags (one tag update, every peer sees member-update), and applies
 * a new include-statuses filter to this application's index. A refresh that would break the
 * registration (a reserved key, tags over 512 bytes) is refused with an error that says what to
 * change, and the instance keeps gossiping its previous tags.
 */
public class GossipRefreshListener implements ApplicationListener<RefreshScopeRefreshedEvent> {

    private static final Logger log = LoggerFactory.getLogger(GossipRefreshListener.class);

    private final GossipDiscoveryProperties discovery;
    private final Environment env;
    private final ServiceIndex index;
    private final ObjectProvider<GossipRegistration> registration;
    private final ObjectProvider<GossipServiceRegistry> registry;

    public GossipRefreshListener(GossipDiscoveryProperties discovery, Environment env, ServiceIndex index,
                                 ObjectProvider<GossipRegistration> registration,
                                 ObjectProvider<GossipServiceRegistry> registry) {
        this.discovery = discovery;
        this.env = env;
        this.index = index;
        this.registration = registration;
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(RefreshScopeRefreshedEvent event) {
        index.setIncludeStatuses(discovery.getIncludeStatuses());
        GossipRegistration r = registration.getIfAvailable();
        GossipServiceRegistry reg = registry.getIfAvailable();
        if (r != null) {
            boolean oldSecure = r.isSecure();
            String oldZone = r.getZone();
            var oldMetadata = r.getUserMetadata();
            try {
                r.update(WebServerSsl.isSecure(discovery, env), discovery.getZone(), discovery.getMetadata());
                if (reg != null) {
                    reg.checkTagSize(r);
                }
            } catch (GossipStartupException e) {
                r.update(oldSecure, oldZone, oldMetadata);
                log.error("Refreshed gossip discovery settings not applied: {}. {}", e.getMessage(), e.getAction());
                return;
            }
        }
        if (reg != null) {
            reg.republish();
        }
    }
}
