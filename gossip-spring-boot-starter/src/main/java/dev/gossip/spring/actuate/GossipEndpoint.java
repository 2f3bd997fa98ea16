package dev.gossip.spring.actuate;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Member;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node.name());
        out.put("running", node.isRunning());
        out.put("encrypted", node.keyring() != null);
        out.put("membershipVersion", node.membershipVersion());
        out.put("awareness", node.awarenessScore());
        List<Map<String, Object>> members = node.members().stream()
                .sorted(Comparator.comparing(Member::name))
                .map(this::describe)
                .toList();
        out.put("members", members);
        return out;
    }

    private Map<String, Object> describe(Member m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", m.name());
        d.put("address", m.address().getHostAddress() + ":" + m.port());
        d.put("status", m.suspect() ? "suspect" : m.status().serfName());
        d.put("tags", new java.util.TreeMap<>(m.tags()));
        d.put("local", m.name().equals(node.name()));
        d.put("rttMillis", node.estimatedRtt(m.name()).map(r -> r.toNanos() / 1e6).orElse(null));
        d.put("protocol", m.delegateCur());
        return d;
    }
}
