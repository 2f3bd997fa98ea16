package dev.gossip.core.wire;

/**
 * A suspect (type 3) or dead (type 5) message: {@code from} accuses {@code node} at
 * {@code incarnation}. A dead whose {@code from} equals {@code node} is a graceful leave (§4).
 */
public record Accusation(int type, long incarnation, String node, String from) {

    public static Accusation suspect(long incarnation, String node, String from) {
        return new Accusation(MessageType.SUSPECT, incarnation, node, from);
    }

    public static Accusation dead(long incarnation, String node, String from) {
        return new Accusation(MessageType.DEAD, incarnation, node, from);
    }

    public boolean isDead() {
        return type == MessageType.DEAD;
    }

    public byte[] encode() {
        return MsgWriter.message(type).map(3).str("From").str(from)
                .str("Incarnation").uint(incarnation).str("Node").str(node).toByteArray();
    }

    public static Accusation decode(int type, MsgReader r) throws MalformedMessageException {
        long inc = 0;
        String node = "";
        String from = "";
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "Incarnation" -> inc = r.uint(0xFFFF_FFFFL);
                case "Node" -> node = r.str();
                case "From" -> from = r.str();
                default -> r.skip();
            }
        }
        return new Accusation(type, inc, node, from);
    }
}
