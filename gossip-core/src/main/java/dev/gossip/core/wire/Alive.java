package dev.gossip.core.wire;

/**
 * "{@code node} is alive at {@code incarnation}" (§4, type 4), carrying its address, meta (Serf
 * tags) and the six version bytes [PMin, PMax, PCur, DMin, DMax, DCur].
 */
public record Alive(long incarnation, String node, byte[] addr, int port, byte[] meta, byte[] vsn) {

    public byte[] encode() {
        return MsgWriter.message(MessageType.ALIVE).map(6)
                .str("Addr").raw(addr).str("Incarnation").uint(incarnation)
                .str("Meta").raw(meta).str("Node").str(node).str("Port").uint(port)
                .str("Vsn").raw(vsn).toByteArray();
    }

    public static Alive decode(MsgReader r) throws MalformedMessageException {
        long inc = 0;
        String node = "";
        byte[] addr = null;
        int port = 0;
        byte[] meta = null;
        byte[] vsn = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "Incarnation" -> inc = r.uint(0xFFFF_FFFFL);
                case "Node" -> node = r.str();
                case "Addr" -> addr = r.bytes();
                case "Port" -> port = (int) r.uint(0xFFFF);
                case "Meta" -> meta = r.bytes();
                case "Vsn" -> vsn = r.bytes();
                default -> r.skip();
            }
        }
        return new Alive(inc, node, addr, port, meta, vsn);
    }
}
