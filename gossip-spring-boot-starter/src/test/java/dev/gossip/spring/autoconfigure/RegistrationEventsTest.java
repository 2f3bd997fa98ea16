package dev.gossip.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.GossipNode;
import dev.gossip.spring.discovery.ServiceTags;
import dev.gossip.spring.serviceregistry.GossipRegistration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.event.InstancePreRegisteredEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.RegistrationLifecycle;
import org.springframework.cloud.client.serviceregistry.RegistrationManagementLifecycle;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.annotation.Order;

/**
 * The registration story Spring Cloud's own auto-registration tells: InstancePreRegisteredEvent,
 * the user's RegistrationLifecycle hooks around register and deregister, InstanceRegisteredEvent;
 * and InstanceRegisteredEvent whenever discovery is ready, registration or not.
 */
class RegistrationEventsTest {

    private final ApplicationContextRunner runner = StarterContexts.runner()
            .withPropertyValues("spring.cloud.gossip.discovery.port=8080");

    @Test
    void preRegisteredEventAndHooksSurroundTheRegistrationInOrder() {
        runner.withBean(Journal.class).withBean("first", First.class).withBean("second", Second.class).run(ctx -> {
            Journal journal = ctx.getBean(Journal.class);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(journal.entries).containsExactly("pre-registered", "first:before-start", "second:before-start",
                    "first:after-start(registered)", "second:after-start(registered)", "registered");

            journal.entries.clear();
            ctx.close(); // leave: the stop hooks run around it
            assertThat(journal.entries).containsExactly("first:before-stop", "second:before-stop",
                    "first:after-stop", "second:after-stop");
        });
    }

    @Test
    void managementHooksRunWhenTheActuatorHasItsOwnPort() {
        runner.withBean(Journal.class).withBean("first", First.class).withBean("mgmt", Management.class).run(ctx -> {
            ctx.getBean(GossipRegistration.class).setManagementPort(9001);
            AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(ctx.getBean(Journal.class).entries).contains("mgmt:before-start-management",
                    "mgmt:after-start-management");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                    "9001".equals(ctx.getBean(GossipNode.class).tags().get(ServiceTags.MANAGEMENT_PORT)));
        });
    }

    @Test
    void withoutAutoRegistrationOrServiceRegistryDiscoveryStillAnnouncesItIsReady() {
        for (String off : List.of("spring.cloud.service-registry.auto-registration.enabled=false",
                "spring.cloud.service-registry.enabled=false")) {
            runner.withBean(Journal.class).withPropertyValues(off).run(ctx -> {
                AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                AvailabilityChangeEvent.publish(ctx, ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(ctx.getBean(Journal.class).entries).as(off).containsExactly("registered");
            });
        }
    }

    /** Records registration events and hook calls in order. */
    static class Journal implements ApplicationListener<ApplicationEvent> {
        final List<String> entries = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof InstancePreRegisteredEvent) {
                entries.add("pre-registered");
            } else if (event instanceof InstanceRegisteredEvent) {
                entries.add("registered");
            }
        }
    }

    abstract static class Hook implements RegistrationLifecycle<GossipRegistration> {
        @org.springframework.beans.factory.annotation.Autowired
        Journal journal;

        @org.springframework.beans.factory.annotation.Autowired
        dev.gossip.spring.serviceregistry.GossipServiceRegistry registry;

        abstract String name();

        @Override
        public void postProcessBeforeStartRegister(GossipRegistration registration) {
            journal.entries.add(name() + ":before-start");
        }

        @Override
        public void postProcessAfterStartRegister(GossipRegistration registration) {
            journal.entries.add(name() + ":after-start" + (registry.isRegistered() ? "(registered)" : "(not registered)"));
        }

        @Override
        public void postProcessBeforeStopRegister(GossipRegistration registration) {
            journal.entries.add(name() + ":before-stop");
        }

        @Override
        public void postProcessAfterStopRegister(GossipRegistration registration) {
            journal.entries.add(name() + ":after-stop");
        }
    }

    @Order(1)
    static class First extends Hook {
        @Override
        String name() {
            return "first";
        }
    }

    @Order(2)
    static class Second extends Hook {
        @Override
        String name() {
            return "second";
        }
    }

    static class Management extends Hook implements RegistrationManagementLifecycle<GossipRegistration> {
        @Override
        String name() {
            return "mgmt";
        }

        @Override
        public void postProcessBeforeStartRegisterManagement(GossipRegistration registration) {
            journal.entries.add("mgmt:before-start-management");
        }

        @Override
        public void postProcessAfterStartRegisterManagement(GossipRegistration registration) {
            journal.entries.add("mgmt:after-start-management");
        }

        @Override
        public void postProcessBeforeStopRegisterManagement(GossipRegistration registration) {
        }

        @Override
        public void postProcessAfterStopRegisterManagement(GossipRegistration registration) {
        }
    }
}
