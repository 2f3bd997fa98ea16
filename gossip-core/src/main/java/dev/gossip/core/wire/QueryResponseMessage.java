package dev.gossip.core.wire;

/** An ack (flags = 1) or a response to a query (§7.8), sent straight to the originator. */
public record QueryResponseMessage(long ltime, int id, String from, int flags, byte[] payload) {

    public static final int FLAG_ACK = 1;

    public boolean isAck() {
        return (flags & FLAG_ACK) != 0;
    }

    public byte[] encode() {
        return MsgWriter.message(SerfMessageType.QUERY_RESPONSE).map(5)
                .str("Flags").uint(flags & 0xFFFF_FFFFL).str("From").str(from).str("ID").uint(id & 0xFFFF_FFFFL)
                .str("LTime").uint(ltime).str("Payload").raw(payload).toByteArray();
    }

    public static QueryResponseMessage decode(MsgReader r) throws MalformedMessageException {
        long ltime = 0;
        int id = 0;
        String from = "";
        int flags = 0;
        byte[] payload = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "ID" -> id = (int) r.uint(0xFFFF_FFFFL);
                case "From" -> from = r.str();
                case "Flags" -> flags = (int) r.uint(0xFFFF_FFFFL);
                case "Payload" -> payload = r.bytes();
                default -> r.skip();
            }
        }
        return new QueryResponseMessage(ltime, id, from, flags, payload);
    }
}
