package dev.gossip.core.hostile;

import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.Packets;
import java.util.ArrayList;
import java.util.List;

/** Takes a datagram from a node apart as a peer would: decrypt, then CRC, compress and compound. */
final class Datagrams {

    private static final int MAX_DEPTH = 4;
    private static final int MAX_INFLATE = 1 << 20;

    private Datagrams() {}

    /** The messages inside, type byte first; none if it does not decode (ours to send, not to judge). */
    static List<byte[]> messages(byte[] packet, Keyring ring) {
        List<byte[]> out = new ArrayList<>();
        try {
            unwrap(ring == null ? packet : Encryption.decryptPacket(ring, packet), out, 0);
        } catch (MalformedMessageException e) {
            out.clear();
        }
        return out;
    }

    private static void unwrap(byte[] buf, List<byte[]> out, int depth) throws MalformedMessageException {
        if (buf.length == 0 || depth > MAX_DEPTH) {
            return;
        }
        switch (buf[0] & 0xff) {
            case MessageType.HAS_CRC -> unwrap(Packets.stripCrc(buf), out, depth + 1);
            case MessageType.COMPRESS -> unwrap(Packets.decompress(buf, 1, buf.length - 1, MAX_INFLATE), out, depth + 1);
            case MessageType.COMPOUND -> {
                for (byte[] part : Packets.splitCompound(buf, 1, buf.length - 1)) {
                    unwrap(part, out, depth + 1);
                }
            }
            default -> out.add(buf);
        }
    }

    /** The msgpack body after the type byte. */
    static MsgReader body(byte[] message) {
        return new MsgReader(message, 1, message.length - 1);
    }
}
