package dev.gossip.core.wire;

/** Serf's join intent (§7.3): "{@code node} is a member as of Lamport time {@code ltime}". */
public record JoinIntent(long ltime, String node) {

    public byte[] encode() {
        return MsgWriter.message(SerfMessageType.JOIN).map(2)
                .str("LTime").uint(ltime).str("Node").str(node).toByteArray();
    }

    public static JoinIntent decode(MsgReader r) throws MalformedMessageException {
        long ltime = 0;
        String node = "";
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "Node" -> node = r.str();
                default -> r.skip();
            }
        }
        return new JoinIntent(ltime, node);
    }
}
