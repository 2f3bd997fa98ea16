package dev.gossip.core.wire;

/** Serf's leave intent (§7.3); {@code prune} asks every member to forget the node at once. */
public record LeaveIntent(long ltime, String node, boolean prune) {

    public byte[] encode() {
        return MsgWriter.message(SerfMessageType.LEAVE).map(3)
                .str("LTime").uint(ltime).str("Node").str(node).str("Prune").bool(prune)
                .toByteArray();
    }

    public static LeaveIntent decode(MsgReader r) throws MalformedMessageException {
        long ltime = 0;
        String node = "";
        boolean prune = false;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "Node" -> node = r.str();
                case "Prune" -> prune = r.bool();
                default -> r.skip();
            }
        }
        return new LeaveIntent(ltime, node, prune);
    }
}
