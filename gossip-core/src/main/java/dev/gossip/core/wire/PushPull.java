package dev.gossip.core.wire;

import dev.gossip.core.DropReason;
import java.util.ArrayList;
import java.util.List;

/**
 * A push/pull stream message (§6.2): header, every known node, then the delegate's (Serf's)
 * opaque user state. Used for join and for periodic anti-entropy.
 */
public record PushPull(boolean join, List<PushNodeState> nodes, byte[] userState) {

    /** Refuse absurd node counts before allocating anything for them. */
    public static final int MAX_NODES = 100_000;

    public byte[] encode() {
        byte[] user = userState == null ? new byte[0] : userState;
        MsgWriter w = MsgWriter.message(MessageType.PUSH_PULL).map(3)
                .str("Join").bool(join).str("Nodes").uint(nodes.size())
                .str("UserStateLen").uint(user.length);
        nodes.forEach(n -> n.encode(w));
        return w.rawBytes(user).toByteArray();
    }

    /** Decodes the body that follows the type byte. */
    public static PushPull decode(byte[] buf, int off, int len) throws MalformedMessageException {
        MsgReader r = new MsgReader(buf, off, len);
        boolean join = false;
        long count = 0;
        long userLen = 0;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "Join" -> join = r.bool();
                case "Nodes" -> count = r.uint(MAX_NODES);
                case "UserStateLen" -> userLen = r.uint(Integer.MAX_VALUE);
                default -> r.skip();
            }
        }
        if (count > r.remaining()) {
            throw new MalformedMessageException(DropReason.PUSHPULL, "node count " + count + " exceeds input");
        }
        List<PushNodeState> nodes = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            nodes.add(PushNodeState.decode(r));
        }
        int at = r.position();
        if (userLen > len - at) {
            throw new MalformedMessageException(DropReason.PUSHPULL, "user state truncated");
        }
        byte[] user = java.util.Arrays.copyOfRange(buf, off + at, off + at + (int) userLen);
        return new PushPull(join, nodes, user);
    }
}
