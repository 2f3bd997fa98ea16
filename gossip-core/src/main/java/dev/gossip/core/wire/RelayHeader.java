package dev.gossip.core.wire;

/**
 * Header of a relayed query response (§7.8, Serf protocol 5): forward the rest of the message,
 * untouched, to {@code destIp:destPort}.
 */
public record RelayHeader(byte[] destIp, int destPort, String destName) {

    public byte[] encode(byte[] inner) {
        return MsgWriter.message(SerfMessageType.RELAY).map(2)
                .str("DestAddr").map(3).str("IP").raw(destIp).str("Port").uint(destPort)
                .str("Zone").str("")
                .str("DestName").str(destName).rawBytes(inner).toByteArray();
    }

    public static RelayHeader decode(MsgReader r) throws MalformedMessageException {
        byte[] ip = null;
        int port = 0;
        String name = "";
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "DestAddr" -> {
                    if (r.tryNil()) {
                        break;
                    }
                    int m = r.map();
                    for (int j = 0; j < m; j++) {
                        switch (r.str()) {
                            case "IP" -> ip = r.bytes();
                            case "Port" -> port = (int) r.uint(0xFFFF);
                            default -> r.skip();
                        }
                    }
                }
                case "DestName" -> name = r.str();
                default -> r.skip();
            }
        }
        return new RelayHeader(ip, port, name);
    }
}
