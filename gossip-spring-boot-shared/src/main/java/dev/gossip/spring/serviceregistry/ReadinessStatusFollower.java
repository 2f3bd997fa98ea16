package dev.gossip.spring.serviceregistry;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * Boot's readiness after start-up: REFUSING_TRAFFIC (an application that declares itself busy,
 * or the context closing) takes the instance OUT_OF_SERVICE, ACCEPTING_TRAFFIC brings it back.
 */
public class ReadinessStatusFollower implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private final GossipServiceRegistry registry;

    public ReadinessStatusFollower(GossipServiceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        registry.setAcceptingTraffic(event.getState() == ReadinessState.ACCEPTING_TRAFFIC);
    }
}
