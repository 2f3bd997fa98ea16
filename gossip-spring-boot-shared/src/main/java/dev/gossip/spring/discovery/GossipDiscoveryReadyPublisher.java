package dev.gossip.spring.discovery;

import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.serviceregistry.GossipAutoServiceRegistration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Publishes {@link InstanceRegisteredEvent} once the application is ready when no
 * auto-registration will (auto-registration or the service registry switched off): Spring
 * Cloud's discovery health indicator reports UNKNOWN until it sees one, although gossip
 * discovery works whether or not this application registers itself.
 */
public class GossipDiscoveryReadyPublisher implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private final ObjectProvider<GossipAutoServiceRegistration> autoRegistration;
    private final GossipDiscoveryProperties properties;
    private final ApplicationEventPublisher publisher;
    private final AtomicBoolean done = new AtomicBoolean();

    public GossipDiscoveryReadyPublisher(ObjectProvider<GossipAutoServiceRegistration> autoRegistration,
                                         GossipDiscoveryProperties properties, ApplicationEventPublisher publisher) {
        this.autoRegistration = autoRegistration;
        this.properties = properties;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && autoRegistration.getIfAvailable() == null
                && done.compareAndSet(false, true)) {
            publisher.publishEvent(new InstanceRegisteredEvent<>(this, properties));
        }
    }
}
