package dev.gossip.core.wire;

/**
 * Asks a helper to probe {@code target} for us (§4, type 1). {@code seqNo} is the originator's;
 * the helper acks or nacks with it.
 */
public record IndirectPing(long seqNo, byte[] target, int port, String node, boolean nack,
                           byte[] sourceAddr, int sourcePort, String sourceNode) {

    public byte[] encode() {
        boolean source = sourceAddr != null;
        MsgWriter w = MsgWriter.message(MessageType.INDIRECT_PING).map(source ? 8 : 5);
        w.str("Nack").bool(nack).str("Node").str(node).str("Port").uint(port)
                .str("SeqNo").uint(seqNo);
        if (source) {
            w.str("SourceAddr").raw(sourceAddr).str("SourceNode").str(sourceNode)
                    .str("SourcePort").uint(sourcePort);
        }
        return w.str("Target").raw(target).toByteArray();
    }

    public static IndirectPing decode(MsgReader r) throws MalformedMessageException {
        long seq = 0;
        byte[] target = null;
        int port = 0;
        String node = "";
        boolean nack = false;
        byte[] sourceAddr = null;
        int sourcePort = 0;
        String sourceNode = "";
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "SeqNo" -> seq = r.uint(0xFFFF_FFFFL);
                case "Target" -> target = r.bytes();
                case "Port" -> port = (int) r.uint(0xFFFF);
                case "Node" -> node = r.str();
                case "Nack" -> nack = r.bool();
                case "SourceAddr" -> sourceAddr = r.bytes();
                case "SourcePort" -> sourcePort = (int) r.uint(0xFFFF);
                case "SourceNode" -> sourceNode = r.str();
                default -> r.skip();
            }
        }
        return new IndirectPing(seq, target, port, node, nack, sourceAddr, sourcePort, sourceNode);
    }
}
