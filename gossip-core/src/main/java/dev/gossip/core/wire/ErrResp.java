package dev.gossip.core.wire;

/** The error reply on a stream the responder could not read (§6.1, type 13). */
public record ErrResp(String error) {

    public byte[] encode() {
        return MsgWriter.message(MessageType.ERR).map(1).str("Error").str(error).toByteArray();
    }

    public static ErrResp decode(MsgReader r) throws MalformedMessageException {
        String error = "";
        int n = r.map();
        for (int i = 0; i < n; i++) {
            if (r.str().equals("Error")) {
                error = r.str();
            } else {
                r.skip();
            }
        }
        return new ErrResp(error);
    }
}
