package dev.gossip.core.hostile;

import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgWriter;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Well-formed messages an attacker forges, built with the main code's own encoders. */
final class Forgery {

    /** Serf tags meta with no tags: the magic byte and an empty map (§7.5). */
    static final byte[] NO_TAGS = {(byte) 0xff, (byte) 0x80};
    /** What a serf 0.9 agent advertises (§1). */
    static final byte[] VSN = {1, 5, 2, 2, 5, 5};

    private Forgery() {}

    /** "{@code node} is alive at {@code at}" (§4, type 4). */
    static byte[] alive(String node, InetSocketAddress at, long incarnation) {
        return new Alive(incarnation, node, at.getAddress().getAddress(), at.getPort(), NO_TAGS, VSN).encode();
    }

    /** A Serf message as a memberlist user message: {@code [8][serf type][msgpack]} (§7.1). */
    static byte[] user(byte[] serfMessage) {
        byte[] out = new byte[serfMessage.length + 1];
        out[0] = (byte) MessageType.USER;
        System.arraycopy(serfMessage, 0, out, 1, serfMessage.length);
        return out;
    }

    /** A push/pull header, {@code Join=false}, for {@code nodes} node states and {@code userStateLen} bytes. */
    private static MsgWriter pushPullHeader(long nodes, long userStateLen) {
        return MsgWriter.message(MessageType.PUSH_PULL).map(3).str("Join").bool(false)
                .str("Nodes").uint(nodes).str("UserStateLen").uint(userStateLen);
    }

    /** An invented node at 10.66.x.y (no route there), with {@code meta} bytes of metadata. */
    private static PushNodeState ghost(int i, byte[] meta) {
        return new PushNodeState(String.format("ghost-%07d", i), new byte[] {10, 66, (byte) (i >> 8), (byte) i}, 7946,
                meta, 1, 0, VSN);
    }

    /**
     * Exactly {@code bytes} (at most 8 MiB + 1 MiB) of a push/pull that announces {@value
     * PushPull#MAX_NODES} nodes and carries node states until it is cut. The states are large
     * enough that all the nodes announced would take 16 MB: it never completes.
     */
    static byte[] unfinishedPushPull(int bytes) {
        byte[] meta = new byte[400]; // 100,000 such nodes run past the 20 MiB limit
        meta[0] = (byte) 0xff;
        meta[1] = (byte) 0x80;
        MsgWriter one = new MsgWriter();
        ghost(0, meta).encode(one);
        int perNode = one.toByteArray().length;
        if ((long) perNode * PushPull.MAX_NODES <= bytes) {
            throw new IllegalArgumentException(bytes + " bytes would complete the push/pull");
        }
        MsgWriter w = pushPullHeader(PushPull.MAX_NODES, 0);
        for (int i = 0, n = bytes / perNode + 1; i < n; i++) {
            ghost(i, meta).encode(w);
        }
        return Arrays.copyOf(w.toByteArray(), bytes);
    }

    /** A complete push/pull of exactly {@code bytes}: no nodes, and zeros as Serf's user state. */
    static byte[] pushPullOfLength(int bytes) {
        int header = pushPullHeader(0, bytes).toByteArray().length; // same width as the final length field
        return pushPullHeader(0, bytes - header).rawBytes(new byte[bytes - header]).toByteArray();
    }

    /** A header that announces more user state than the stream limit, followed by {@code bytes} of it. */
    static byte[] pushPullAnnouncing(long userStateLen, int bytes) {
        return pushPullHeader(0, userStateLen).rawBytes(new byte[bytes]).toByteArray();
    }

    /** A complete, valid push/pull listing {@code ghosts} invented nodes and no user state. */
    static byte[] pushPull(int ghosts) {
        List<PushNodeState> nodes = new ArrayList<>();
        for (int i = 0; i < ghosts; i++) {
            nodes.add(ghost(i, NO_TAGS));
        }
        return new PushPull(false, nodes, new byte[0]).encode();
    }
}
