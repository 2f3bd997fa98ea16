package dev.gossip.spring.messaging;

import dev.gossip.core.QueryHandle;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers to a query this node sent, by the name of the node that answered, in arrival order.
 * A node that did not answer before the deadline is simply absent.
 */
public final class GossipQueryResponses {

    private final String name;
    private final Map<String, byte[]> payloads;
    private final List<String> acks;

    public GossipQueryResponses(String name, Map<String, byte[]> payloads, List<String> acks) {
        this.name = name;
        Map<String, byte[]> copy = new LinkedHashMap<>();
        payloads.forEach((node, p) -> copy.put(node, p.clone()));
        this.payloads = Collections.unmodifiableMap(copy);
        this.acks = List.copyOf(acks);
    }

    static GossipQueryResponses of(QueryHandle handle) {
        Map<String, byte[]> byNode = new LinkedHashMap<>();
        for (QueryHandle.Response r : handle.responses()) {
            byNode.putIfAbsent(r.from(), r.payload() == null ? new byte[0] : r.payload());
        }
        return new GossipQueryResponses(handle.name(), byNode, handle.acks());
    }

    /** The query's name. */
    public String name() {
        return name;
    }

    /** Raw answers by node name (do not modify the arrays). */
    public Map<String, byte[]> payloads() {
        return payloads;
    }

    /** Answers by node name, decoded as UTF-8. */
    public Map<String, String> asStrings() {
        Map<String, String> out = new LinkedHashMap<>();
        payloads.forEach((node, p) -> out.put(node, new String(p, StandardCharsets.UTF_8)));
        return Collections.unmodifiableMap(out);
    }

    /** Nodes that acknowledged the query (only when acks were requested). */
    public List<String> acks() {
        return acks;
    }

    @Override
    public String toString() {
        return "GossipQueryResponses[" + name + " answered by " + payloads.keySet() + "]";
    }
}
