package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the {@code gossip} health indicator reports: UP while the node runs, with what it sees.
 * Each Boot line's {@code GossipHealthIndicator} turns this into its own {@code Health}.
 *
 * @param up      the node runs
 * @param details the health details, in display order
 */
public record ClusterHealth(boolean up, Map<String, Object> details) {

    public ClusterHealth {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static ClusterHealth of(GossipNode node) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("node", node.name());
        if (!node.isRunning()) {
            details.put("reason", "gossip node is not running");
            return new ClusterHealth(false, details);
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
        details.put("localStatus", node.localMember().map(m -> m.status().serfName()).orElse("none"));
        details.put("clusterSize", byStatus.getOrDefault(MemberStatus.ALIVE, 0));
        details.put("members", counts);
        details.put("suspect", suspect);
        details.put("awareness", node.awarenessScore());
        return new ClusterHealth(true, details);
    }
}
