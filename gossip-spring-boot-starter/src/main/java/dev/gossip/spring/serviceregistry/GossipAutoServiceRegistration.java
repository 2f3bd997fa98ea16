package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.GossipDiscoveryProperties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Advertises this instance once the application is ready (Boot's readiness state
 * ACCEPTING_TRAFFIC), when the web server already has its port, so nobody is sent traffic before
 * it can be served. Publishes {@link InstanceRegisteredEvent} then, also in client-only mode, so
 * the discovery health indicator leaves UNKNOWN.
 */
@SuppressWarnings("rawtypes")
public class GossipAutoServiceRegistration implements AutoServiceRegistration, ApplicationListener<AvailabilityChangeEvent> {

    private static final Logger log = LoggerFactory.getLogger(GossipAutoServiceRegistration.class);

    private final GossipServiceRegistry registry;
    private final GossipRegistration registration;
    private final GossipDiscoveryProperties properties;
    private final ApplicationEventPublisher publisher;
    private final AtomicBoolean done = new AtomicBoolean();

    /** {@code registry}/{@code registration} are null in client-only mode. */
    public GossipAutoServiceRegistration(GossipServiceRegistry registry, GossipRegistration registration,
                                         GossipDiscoveryProperties properties, ApplicationEventPublisher publisher) {
        this.registry = registry;
        this.registration = registration;
        this.properties = properties;
        this.publisher = publisher;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || !done.compareAndSet(false, true)) {
            return;
        }
        if (registry != null && registration != null && properties.isRegister()) {
            if (registration.getPort() <= 0) {
                log.warn("Not registering {}: no HTTP port known. Set spring.cloud.gossip.discovery.port"
                        + " or run a web server.", registration.getServiceId());
            } else {
                registry.register(registration);
            }
        }
        publisher.publishEvent(new InstanceRegisteredEvent<>(this, registration != null ? registration : properties));
    }

    public boolean isRegistered() {
        return registry != null && registry.isRegistered();
    }
}
