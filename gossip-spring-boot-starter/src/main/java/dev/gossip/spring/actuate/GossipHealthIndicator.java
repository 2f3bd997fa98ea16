package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Health component {@code gossip}: UP while the node runs; details say what it sees ({@link ClusterHealth}). */
public class GossipHealthIndicator extends AbstractHealthIndicator {

    private final GossipNode node;

    public GossipHealthIndicator(GossipNode node) {
        super("Gossip health check failed");
        this.node = node;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ClusterHealth health = ClusterHealth.of(node);
        (health.up() ? builder.up() : builder.down()).withDetails(health.details());
    }
}
