package dev.gossip.spring.messaging;

import java.nio.charset.StandardCharsets;

/**
 * A query this node received, as a {@link GossipQueryHandler} sees it. It cannot be answered
 * directly: the handler's return value is the answer, so each query is answered at most once.
 *
 * @param name the query's name, e.g. {@code whoami}
 * @param payload what the asker sent (a copy; empty when nothing)
 * @param sourceNode the node name of the asker
 * @param ltime the query's Lamport time
 */
public record GossipQuery(String name, byte[] payload, String sourceNode, long ltime) {

    public GossipQuery {
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload decoded as UTF-8, as the serf CLI sends it. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
