package dev.gossip.spring.config;

import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Leaves and shuts down the bootstrap gossip node when the application fails to start before its
 * context has taken the node over, for instance when a required {@code configserver:} import finds
 * no server. Then there is no context to close the node and the bootstrap context never closes;
 * only the SpringApplication's own listeners hear of the failure, hence this one (one instance per
 * SpringApplication, registered in spring.factories). After the hand-over the context owns the node
 * and closes it itself, also when its refresh fails.
 *
 * <p>Per Boot line: the bootstrap context's type moved between Boot 3.5 and 4.
 */
public class BootstrapGossipNodeCleanup implements SmartApplicationListener {

    private volatile BootstrapGossipNode node;

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationStartingEvent.class.isAssignableFrom(eventType)
                || ApplicationFailedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent starting) {
            node = starting.getBootstrapContext().getOrElse(BootstrapGossipNode.class, null);
        } else if (event instanceof ApplicationFailedEvent && node != null) {
            node.releaseUnlessHandedOver("the application failed to start");
        }
    }
}
