package dev.gossip.core.wire;

/** One node as listed in a push/pull exchange (§6.2); {@code state} 0 alive, 1 suspect, 2 dead, 3 left. */
public record PushNodeState(String name, byte[] addr, int port, byte[] meta, long incarnation,
                            int state, byte[] vsn) {

    public void encode(MsgWriter w) {
        w.map(7).str("Addr").raw(addr).str("Incarnation").uint(incarnation).str("Meta").raw(meta)
                .str("Name").str(name).str("Port").uint(port).str("State").uint(state)
                .str("Vsn").raw(vsn);
    }

    public static PushNodeState decode(MsgReader r) throws MalformedMessageException {
        String name = "";
        byte[] addr = null;
        int port = 0;
        byte[] meta = null;
        long inc = 0;
        int state = 0;
        byte[] vsn = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "Name" -> name = r.str();
                case "Addr" -> addr = r.bytes();
                case "Port" -> port = (int) r.uint(0xFFFF);
                case "Meta" -> meta = r.bytes();
                case "Incarnation" -> inc = r.uint(0xFFFF_FFFFL);
                case "State" -> state = (int) r.uint(255);
                case "Vsn" -> vsn = r.bytes();
                default -> r.skip();
            }
        }
        return new PushNodeState(name, addr, port, meta, inc, state, vsn);
    }
}
