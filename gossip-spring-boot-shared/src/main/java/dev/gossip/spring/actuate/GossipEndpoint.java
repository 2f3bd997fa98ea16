package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/gossip}: this node and every member it knows, with address, status, tags and
 * estimated RTT. Never shows key material.
 */
@Endpoint(id = "gossip")
public class GossipEndpoint {

    private final GossipNode node;

    public GossipEndpoint(GossipNode node) {
        this.node = node;
    }

    @ReadOperation
    public Map<String, Object> gossip() {
        return ClusterView.of(node);
    }
}
