package dev.gossip.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a query is sent (Serf §7.8).
 *
 * @param filterNodes only these nodes answer (empty = all)
 * @param filterTags only nodes whose tag values match these regular expressions answer
 * @param requestAck ask every node that passes the filters to ack at once
 * @param relayFactor each response is also relayed through this many random members (0 = none)
 * @param timeout how long to collect answers; {@code null} = Serf's default for the cluster size
 */
public record QueryParams(List<String> filterNodes, Map<String, String> filterTags,
                          boolean requestAck, int relayFactor, Duration timeout) {

    public QueryParams {
        filterNodes = filterNodes == null ? List.of() : List.copyOf(filterNodes);
        filterTags = filterTags == null ? Map.of() : Map.copyOf(filterTags);
        if (relayFactor < 0 || relayFactor > 5) {
            throw new IllegalArgumentException("relayFactor must be between 0 and 5, was " + relayFactor);
        }
    }

    /** Everyone answers, no acks, default timeout. */
    public static QueryParams defaults() {
        return new QueryParams(List.of(), Map.of(), false, 0, null);
    }

    public QueryParams withAck() {
        return new QueryParams(filterNodes, filterTags, true, relayFactor, timeout);
    }

    public QueryParams withTimeout(Duration t) {
        return new QueryParams(filterNodes, filterTags, requestAck, relayFactor, t);
    }

    public QueryParams withNodes(List<String> nodes) {
        return new QueryParams(nodes, filterTags, requestAck, relayFactor, timeout);
    }

    public QueryParams withTags(Map<String, String> tags) {
        return new QueryParams(filterNodes, tags, requestAck, relayFactor, timeout);
    }
}
