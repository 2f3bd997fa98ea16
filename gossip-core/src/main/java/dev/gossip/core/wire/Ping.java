package dev.gossip.core.wire;

/**
 * A probe (§4, type 0). {@code node} names the intended target: a receiver with another name
 * ignores it. The source fields tell where the ack should go.
 */
public record Ping(long seqNo, String node, byte[] sourceAddr, int sourcePort, String sourceNode) {

    public byte[] encode() {
        boolean source = sourceAddr != null;
        MsgWriter w = MsgWriter.message(MessageType.PING).map(source ? 5 : 2);
        w.str("Node").str(node).str("SeqNo").uint(seqNo);
        if (source) {
            w.str("SourceAddr").raw(sourceAddr).str("SourceNode").str(sourceNode)
                    .str("SourcePort").uint(sourcePort);
        }
        return w.toByteArray();
    }

    public static Ping decode(MsgReader r) throws MalformedMessageException {
        long seq = 0;
        String node = "";
        byte[] addr = null;
        int port = 0;
        String sourceNode = "";
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "SeqNo" -> seq = r.uint(0xFFFF_FFFFL);
                case "Node" -> node = r.str();
                case "SourceAddr" -> addr = r.bytes();
                case "SourcePort" -> port = (int) r.uint(0xFFFF);
                case "SourceNode" -> sourceNode = r.str();
                default -> r.skip();
            }
        }
        return new Ping(seq, node, addr, port, sourceNode);
    }
}
