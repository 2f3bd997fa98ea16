package dev.gossip.core.wire;

import dev.gossip.core.DropReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small, strict test decoder for one UDP packet (already decrypted), built only from the main
 * wire classes: CRC frame ({@link Packets#stripCrc}), compression ({@link Packets#decompress}),
 * compound ({@link Packets#splitCompound}), then the message records' {@code decode} for memberlist
 * types 0, 1, 2, 3, 4, 5, 11 and, inside user messages (type 8), Serf types 0, 1, 3, 4, 5, 9.
 *
 * <p>Stricter than the node: every msgpack body must be consumed exactly (no trailing bytes) and a
 * compound must hold every part its header announces. Anything else throws
 * {@link MalformedMessageException}.
 */
public final class WireWalker {

    /** One decoded message. */
    public record Decoded(
            /* wrappers it was found in, outermost first, e.g. "crc/compress/compound" ("" if none) */
            String path,
            /* memberlist type byte */
            int type,
            /* Serf type byte for type 8, else -1 */
            int serfType,
            /* the decoded record (Ping, Alive, JoinIntent, ...) */
            Object message,
            /* the message as it was on the wire, from its memberlist type byte on */
            byte[] raw) {

        /** The Serf message bytes (after the memberlist user type byte). */
        public byte[] serfBytes() {
            return Arrays.copyOfRange(raw, 1, raw.length);
        }

        @Override
        public String toString() {
            return (path.isEmpty() ? "" : path + "/") + message;
        }
    }

    private static final int MAX_DEPTH = 8;

    private WireWalker() {}

    public static List<Decoded> walk(byte[] packet) throws MalformedMessageException {
        List<Decoded> out = new ArrayList<>();
        walk(packet, "", 0, out);
        return out;
    }

    private static void walk(byte[] buf, String path, int depth, List<Decoded> out)
            throws MalformedMessageException {
        if (buf.length == 0) {
            throw new MalformedMessageException(DropReason.MSGPACK, "empty message at " + path);
        }
        if (depth > MAX_DEPTH) {
            throw new MalformedMessageException(DropReason.MSGPACK, "nested too deep");
        }
        int type = buf[0] & 0xff;
        switch (type) {
            case MessageType.HAS_CRC -> walk(Packets.stripCrc(buf), sub(path, "crc"), depth + 1, out);
            case MessageType.COMPRESS ->
                    walk(Packets.decompress(buf, 1, buf.length - 1), sub(path, "compress"), depth + 1, out);
            case MessageType.COMPOUND -> {
                List<byte[]> parts = Packets.splitCompound(buf, 1, buf.length - 1);
                int announced = buf[1] & 0xff;
                if (parts.size() != announced) {
                    throw new MalformedMessageException(DropReason.MSGPACK, "compound announced " + announced
                            + " parts but holds " + parts.size());
                }
                int used = 2 + 2 * announced + parts.stream().mapToInt(p -> p.length).sum();
                if (used != buf.length) {
                    throw new MalformedMessageException(DropReason.MSGPACK, (buf.length - used)
                            + " bytes after the last compound part");
                }
                for (byte[] part : parts) {
                    walk(part, sub(path, "compound"), depth + 1, out);
                }
            }
            case MessageType.USER -> {
                if (buf.length < 2) {
                    throw new MalformedMessageException(DropReason.MSGPACK, "empty user message");
                }
                int serfType = buf[1] & 0xff;
                MsgReader r = new MsgReader(buf, 2, buf.length - 2);
                Object msg = switch (serfType) {
                    case SerfMessageType.LEAVE -> LeaveIntent.decode(r);
                    case SerfMessageType.JOIN -> JoinIntent.decode(r);
                    case SerfMessageType.USER_EVENT -> UserEventMessage.decode(r);
                    case SerfMessageType.QUERY -> QueryMessage.decode(r);
                    case SerfMessageType.QUERY_RESPONSE -> QueryResponseMessage.decode(r);
                    case SerfMessageType.RELAY -> RelayHeader.decode(r);
                    default -> throw new MalformedMessageException(DropReason.MSGPACK, "serf type " + serfType);
                };
                if (serfType != SerfMessageType.RELAY) {
                    requireConsumed(r, "serf type " + serfType);
                }
                out.add(new Decoded(path, type, serfType, msg, buf));
            }
            default -> {
                MsgReader r = new MsgReader(buf, 1, buf.length - 1);
                Object msg = switch (type) {
                    case MessageType.PING -> Ping.decode(r);
                    case MessageType.INDIRECT_PING -> IndirectPing.decode(r);
                    case MessageType.ACK -> Ack.decode(r);
                    case MessageType.SUSPECT, MessageType.DEAD -> Accusation.decode(type, r);
                    case MessageType.ALIVE -> Alive.decode(r);
                    case MessageType.NACK -> Nack.decode(r);
                    default -> throw new MalformedMessageException(DropReason.MSGPACK, "message type " + type);
                };
                requireConsumed(r, "type " + type);
                out.add(new Decoded(path, type, -1, msg, buf));
            }
        }
    }

    private static void requireConsumed(MsgReader r, String what) throws MalformedMessageException {
        if (r.remaining() != 0) {
            throw new MalformedMessageException(DropReason.MSGPACK, r.remaining() + " bytes after the " + what + " body");
        }
    }

    private static String sub(String path, String wrapper) {
        return path.isEmpty() ? wrapper : path + "/" + wrapper;
    }
}
