package dev.gossip.spring.serviceregistry;

import org.springframework.cloud.context.restart.PauseHandler;

/**
 * Spring Cloud's {@code /actuator/pause} and {@code /actuator/resume}: a paused instance stays a
 * member but is OUT_OF_SERVICE, so load balancers stop choosing it within a gossip round; resume
 * makes it UP again (unless another input, such as an operator's status, says otherwise).
 */
public class GossipPauseHandler implements PauseHandler {

    private final GossipServiceRegistry registry;

    public GossipPauseHandler(GossipServiceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void pause() {
        registry.setPaused(true);
    }

    @Override
    public void resume() {
        registry.setPaused(false);
    }
}
