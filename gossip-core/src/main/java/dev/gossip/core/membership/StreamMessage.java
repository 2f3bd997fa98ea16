package dev.gossip.core.membership;

import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.wire.PushPull;

/**
 * A stream message decrypted, decompressed and decoded on the thread that read it, so that the
 * protocol thread only acts on it. Built by {@link StreamCodec#parse}.
 */
sealed interface StreamMessage {

    /** A push/pull: memberlist's node states and the layer above's state, both already decoded. */
    record State(PushPull nodes, MembershipDelegate.RemoteState user) implements StreamMessage {}

    /** A ping sent over TCP as a fallback probe. */
    record TcpPing(Ping ping) implements StreamMessage {}

    /** A user message sent reliably. */
    record User(byte[] payload) implements StreamMessage {}

    /** The answer to our TCP ping. */
    record TcpAck(Ack ack) implements StreamMessage {}

    /** The peer refused our stream, saying why (memberlist's errResp). */
    record Refusal(String error) implements StreamMessage {}
}
