package dev.gossip.sample;

import dev.gossip.spring.messaging.GossipUserEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs {@code deploy} user events ({@code serf event deploy v42}, or {@code GossipMessaging.send})
 * and remembers the latest, which {@code whoami} reports: an operator sees which nodes got it.
 */
@Component
public class DeployLog {

    private static final Logger log = LoggerFactory.getLogger(DeployLog.class);

    private volatile String lastDeploy;

    @EventListener(condition = "#event.name == 'deploy'")
    public void onDeploy(GossipUserEvent event) {
        lastDeploy = event.getPayloadAsString();
        log.info("Deploy event received: {} (ltime {})", lastDeploy, event.getLtime());
    }

    /** The payload of the latest deploy event, or null before the first. */
    public String lastDeploy() {
        return lastDeploy;
    }
}
