package dev.gossip.core.wire;

/** A user event as gossiped (§7.7); {@code cc} says the receiver may coalesce it. */
public record UserEventMessage(long ltime, String name, byte[] payload, boolean cc) {

    public byte[] encode() {
        return MsgWriter.message(SerfMessageType.USER_EVENT).map(4)
                .str("CC").bool(cc).str("LTime").uint(ltime).str("Name").str(name)
                .str("Payload").raw(payload).toByteArray();
    }

    public static UserEventMessage decode(MsgReader r) throws MalformedMessageException {
        long ltime = 0;
        String name = "";
        byte[] payload = null;
        boolean cc = false;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "Name" -> name = r.str();
                case "Payload" -> payload = r.bytes();
                case "CC" -> cc = r.bool();
                default -> r.skip();
            }
        }
        return new UserEventMessage(ltime, name, payload, cc);
    }
}
