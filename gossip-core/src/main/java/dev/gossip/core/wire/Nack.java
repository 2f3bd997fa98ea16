package dev.gossip.core.wire;

/** A helper's "I could not reach the target" for an indirect probe (§4, type 11). */
public record Nack(long seqNo) {

    public byte[] encode() {
        return MsgWriter.message(MessageType.NACK).map(1).str("SeqNo").uint(seqNo).toByteArray();
    }

    public static Nack decode(MsgReader r) throws MalformedMessageException {
        long seq = 0;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            if (r.str().equals("SeqNo")) {
                seq = r.uint(0xFFFF_FFFFL);
            } else {
                r.skip();
            }
        }
        return new Nack(seq);
    }
}
