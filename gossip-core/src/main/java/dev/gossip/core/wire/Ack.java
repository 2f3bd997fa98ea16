package dev.gossip.core.wire;

/** Answer to a ping (§4, type 2); Serf puts its Vivaldi coordinate in {@code payload}. */
public record Ack(long seqNo, byte[] payload) {

    public byte[] encode() {
        return MsgWriter.message(MessageType.ACK).map(2)
                .str("Payload").raw(payload).str("SeqNo").uint(seqNo).toByteArray();
    }

    public static Ack decode(MsgReader r) throws MalformedMessageException {
        long seq = 0;
        byte[] payload = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "SeqNo" -> seq = r.uint(0xFFFF_FFFFL);
                case "Payload" -> payload = r.bytes();
                default -> r.skip();
            }
        }
        return new Ack(seq, payload);
    }
}
