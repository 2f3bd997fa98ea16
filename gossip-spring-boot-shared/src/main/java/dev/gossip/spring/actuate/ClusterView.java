package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node knows about the cluster, as plain maps for JSON: shared by {@code /actuator/gossip}
 * and the dashboard. Never includes key material.
 */
public final class ClusterView {

    private ClusterView() {}

    public static Map<String, Object> of(GossipNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node.name());
        out.put("running", node.isRunning());
        out.put("encrypted", node.keyring() != null);
        out.put("membershipVersion", node.membershipVersion());
        out.put("awareness", node.awarenessScore());
        List<Map<String, Object>> members = node.members().stream()
                .sorted(Comparator.comparing(Member::name))
                .map(m -> describe(node, m))
                .toList();
        out.put("members", members);
        return out;
    }

    static Map<String, Object> describe(GossipNode node, Member m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", m.name());
        d.put("address", m.address().getHostAddress() + ":" + m.port());
        d.put("status", GossipMetrics.statusOf(m)); // the metric's status: one value per member
        d.put("service", m.tags().get("service"));
        d.put("zone", m.tags().get("zone"));
        d.put("tags", new TreeMap<>(m.tags()));
        d.put("local", m.name().equals(node.name()));
        d.put("rttMillis", node.estimatedRtt(m.name()).map(r -> r.toNanos() / 1e6).orElse(null));
        d.put("protocol", m.delegateCur());
        return d;
    }
}
