package dev.gossip.core.wire;

import dev.gossip.core.DropReason;
/** A user message sent over a stream (§6.3): {@code [8][{UserMsgLen}][bytes]}. */
public final class UserMsgHeader {

    private UserMsgHeader() {}

    public static byte[] encode(byte[] payload) {
        return MsgWriter.message(MessageType.USER).map(1).str("UserMsgLen").uint(payload.length)
                .rawBytes(payload).toByteArray();
    }

    /** Decodes the part after the type byte and returns the payload. */
    public static byte[] decode(byte[] buf, int off, int len) throws MalformedMessageException {
        MsgReader r = new MsgReader(buf, off, len);
        long n = 0;
        int entries = r.map();
        for (int i = 0; i < entries; i++) {
            if (r.str().equals("UserMsgLen")) {
                n = r.uint(Integer.MAX_VALUE);
            } else {
                r.skip();
            }
        }
        int at = r.position();
        if (n > len - at) {
            throw new MalformedMessageException(DropReason.USER_STREAM, "payload truncated");
        }
        return java.util.Arrays.copyOfRange(buf, off + at, off + at + (int) n);
    }
}
