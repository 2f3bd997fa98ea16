package dev.gossip.core.wire;

import java.util.ArrayList;
import java.util.List;

/** A Serf query (§7.8). Responses go to {@code addr:port}; flags bit 0 = ack, bit 1 = no broadcast. */
public record QueryMessage(long ltime, int id, byte[] addr, int port, String sourceNode,
                           List<byte[]> filters, int flags, int relayFactor, long timeoutNanos,
                           String name, byte[] payload) {

    public static final int FLAG_ACK = 1;
    public static final int FLAG_NO_BROADCAST = 2;

    public boolean ackRequested() {
        return (flags & FLAG_ACK) != 0;
    }

    public boolean noBroadcast() {
        return (flags & FLAG_NO_BROADCAST) != 0;
    }

    public byte[] encode() {
        MsgWriter w = MsgWriter.message(SerfMessageType.QUERY).map(11)
                .str("Addr").raw(addr).str("Filters");
        if (filters == null) {
            w.nil();
        } else {
            w.array(filters.size());
            filters.forEach(w::raw);
        }
        return w.str("Flags").uint(flags & 0xFFFF_FFFFL).str("ID").uint(id & 0xFFFF_FFFFL).str("LTime").uint(ltime)
                .str("Name").str(name).str("Payload").raw(payload).str("Port").uint(port)
                .str("RelayFactor").uint(relayFactor).str("SourceNode").str(sourceNode)
                .str("Timeout").uint(timeoutNanos).toByteArray();
    }

    public static QueryMessage decode(MsgReader r) throws MalformedMessageException {
        long ltime = 0;
        int id = 0;
        byte[] addr = null;
        int port = 0;
        String source = "";
        List<byte[]> filters = null;
        int flags = 0;
        int relay = 0;
        long timeout = 0;
        String name = "";
        byte[] payload = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "LTime" -> ltime = r.uint(Long.MAX_VALUE);
                case "ID" -> id = (int) r.uint(0xFFFF_FFFFL);
                case "Addr" -> addr = r.bytes();
                case "Port" -> port = (int) r.uint(0xFFFF);
                case "SourceNode" -> source = r.str();
                case "Filters" -> {
                    int count = r.arrayOrNil();
                    filters = count < 0 ? null : new ArrayList<>(count);
                    for (int j = 0; j < count; j++) {
                        filters.add(r.bytes());
                    }
                }
                case "Flags" -> flags = (int) r.uint(0xFFFF_FFFFL);
                case "RelayFactor" -> relay = (int) r.uint(255);
                case "Timeout" -> timeout = r.integer();
                case "Name" -> name = r.str();
                case "Payload" -> payload = r.bytes();
                default -> r.skip();
            }
        }
        return new QueryMessage(ltime, id, addr, port, source, filters, flags, relay, timeout,
                name, payload);
    }
}
