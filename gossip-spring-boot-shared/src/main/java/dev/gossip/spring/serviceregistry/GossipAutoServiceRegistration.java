package dev.gossip.spring.serviceregistry;

import dev.gossip.spring.GossipDiscoveryProperties;
import dev.gossip.spring.discovery.ServiceTags;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.cloud.client.discovery.event.InstancePreRegisteredEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.RegistrationLifecycle;
import org.springframework.cloud.client.serviceregistry.RegistrationManagementLifecycle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Advertises this instance once the application is ready (Boot's readiness state
 * ACCEPTING_TRAFFIC), when the web server already has its port, so nobody is sent traffic before
 * it can be served. As Spring Cloud's {@code AbstractAutoServiceRegistration} does, it publishes
 * {@link InstancePreRegisteredEvent}, runs the {@link RegistrationLifecycle} and
 * {@link RegistrationManagementLifecycle} hooks around the registration (and around the
 * deregistration on shutdown), then publishes {@link InstanceRegisteredEvent}, also in
 * client-only mode, so the discovery health indicator leaves UNKNOWN.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public class GossipAutoServiceRegistration implements AutoServiceRegistration, ApplicationListener<AvailabilityChangeEvent> {

    private static final Logger log = LoggerFactory.getLogger(GossipAutoServiceRegistration.class);

    private final GossipServiceRegistry registry;
    private final GossipRegistration registration;
    private final GossipDiscoveryProperties properties;
    private final ApplicationEventPublisher publisher;
    private final List<RegistrationLifecycle<GossipRegistration>> lifecycles;
    private final AtomicBoolean done = new AtomicBoolean();

    /**
     * {@code registry}/{@code registration} are null in client-only mode.
     *
     * @param lifecycles the user's hooks, in order ({@link RegistrationManagementLifecycle}s among them)
     */
    public GossipAutoServiceRegistration(GossipServiceRegistry registry, GossipRegistration registration,
                                         GossipDiscoveryProperties properties, ApplicationEventPublisher publisher,
                                         List<RegistrationLifecycle<GossipRegistration>> lifecycles) {
        this.registry = registry;
        this.registration = registration;
        this.properties = properties;
        this.publisher = publisher;
        this.lifecycles = List.copyOf(lifecycles);
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent event) {
        if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || !done.compareAndSet(false, true)) {
            return;
        }
        if (registers()) {
            if (registration.getPort() <= 0) {
                log.warn("Not registering {}: no HTTP port known. Set spring.cloud.gossip.discovery.port"
                        + " or run a web server.", registration.getServiceId());
            } else {
                register();
            }
        }
        publisher.publishEvent(new InstanceRegisteredEvent<>(this, registration != null ? registration : properties));
    }

    private void register() {
        publisher.publishEvent(new InstancePreRegisteredEvent(this, registration));
        hooks(RegistrationLifecycle::postProcessBeforeStartRegister,
                RegistrationManagementLifecycle::postProcessBeforeStartRegisterManagement);
        registry.register(registration);
        hooks(RegistrationLifecycle::postProcessAfterStartRegister,
                RegistrationManagementLifecycle::postProcessAfterStartRegisterManagement);
    }

    /** Runs the hooks before this instance leaves the cluster on shutdown. */
    public void beforeDeregister() {
        if (isRegistered()) {
            hooks(RegistrationLifecycle::postProcessBeforeStopRegister,
                    RegistrationManagementLifecycle::postProcessBeforeStopRegisterManagement);
        }
    }

    /** Runs the hooks once this instance has left and drained. */
    public void afterDeregister() {
        if (isRegistered()) {
            hooks(RegistrationLifecycle::postProcessAfterStopRegister,
                    RegistrationManagementLifecycle::postProcessAfterStopRegisterManagement);
        }
    }

    /**
     * One step of every hook, in order; the management step too when the actuator has a port of
     * its own (this one registration carries it).
     */
    private void hooks(BiConsumer<RegistrationLifecycle<GossipRegistration>, GossipRegistration> step,
                       BiConsumer<RegistrationManagementLifecycle<GossipRegistration>, GossipRegistration> managementStep) {
        boolean management = registration.getMetadata().containsKey(ServiceTags.MANAGEMENT_PORT);
        for (RegistrationLifecycle<GossipRegistration> l : lifecycles) {
            step.accept(l, registration);
            if (management && l instanceof RegistrationManagementLifecycle m) {
                managementStep.accept(m, registration);
            }
        }
    }

    private boolean registers() {
        return registry != null && registration != null && properties.isRegister();
    }

    public boolean isRegistered() {
        return registry != null && registry.isRegistered();
    }
}
