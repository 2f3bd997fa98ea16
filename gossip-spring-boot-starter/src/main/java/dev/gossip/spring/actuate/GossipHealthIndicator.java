package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Health component {@code gossip}: UP while the node runs; details say what it sees. */
public class GossipHealthIndicator extends AbstractHealthIndicator {

    private final GossipNode node;

    public GossipHealthIndicator(GossipNode node) {
        super("Gossip health check failed");
        this.node = node;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!node.isRunning()) {
            builder.down().withDetail("node", node.name()).withDetail("reason", "gossip node is not running");
            return;
        }
        List<Member> members = node.members();
        Map<MemberStatus, Integer> byStatus = new EnumMap<>(MemberStatus.class);
        int suspect = 0;
        for (Member m : members) {
            byStatus.merge(m.status(), 1, Integer::sum);
            if (m.suspect()) {
                suspect++;
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        byStatus.forEach((k, v) -> counts.put(k.serfName(), v));
        builder.up()
                .withDetail("node", node.name())
                .withDetail("localStatus", node.localMember().map(m -> m.status().serfName()).orElse("none"))
                .withDetail("clusterSize", byStatus.getOrDefault(MemberStatus.ALIVE, 0))
                .withDetail("members", counts)
                .withDetail("suspect", suspect)
                .withDetail("awareness", node.awarenessScore());
    }
}
