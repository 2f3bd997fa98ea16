package dev.gossip.core.wire;

import dev.gossip.core.transport.StreamFramer;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * Finds the end of one memberlist stream message (§6.1) without decoding it: encrypted frames
 * carry a length; everything else is walked as msgpack (a type byte, then the values the type
 * implies, then any raw tail the header announces).
 */
public final class StreamFraming implements StreamFramer {

    private final int maxBytes;

    public StreamFraming(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public int frameLength(byte[] buf, int off, int len) throws MalformedStreamException {
        if (len < 1) {
            return NEED_MORE;
        }
        int type = buf[off] & 0xff;
        int total;
        if (type == MessageType.ENCRYPT) {
            if (len < 5) {
                return NEED_MORE;
            }
            long l = ((buf[off + 1] & 0xffL) << 24) | ((buf[off + 2] & 0xffL) << 16)
                    | ((buf[off + 3] & 0xffL) << 8) | (buf[off + 4] & 0xffL);
            if (l > maxBytes) {
                throw new MalformedStreamException("encrypted stream of " + l + " bytes is over the limit");
            }
            total = 5 + (int) l;
            return len >= total ? total : NEED_MORE;
        }
        MessageUnpacker u = MessagePack.newDefaultUnpacker(buf, off + 1, len - 1);
        try {
            switch (type) {
                case MessageType.PING, MessageType.ACK, MessageType.ERR, MessageType.COMPRESS,
                        MessageType.NACK -> {
                    u.skipValue();
                    total = 1 + (int) u.getTotalReadBytes();
                }
                case MessageType.PUSH_PULL, MessageType.USER -> total = 1 + headerThenTail(u, type);
                default -> throw new MalformedStreamException("unexpected stream message type " + type);
            }
        } catch (MessageInsufficientBufferException e) {
            if (len >= maxBytes) {
                throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
            }
            return NEED_MORE;
        } catch (java.io.IOException | MessagePackException | ArithmeticException e) {
            throw new MalformedStreamException("malformed stream message: " + e.getMessage());
        }
        if (total > maxBytes) {
            throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
        }
        return len >= total ? total : NEED_MORE;
    }

    /** Push/pull: header, {@code Nodes} values, {@code UserStateLen} bytes. User: header, bytes. */
    private int headerThenTail(MessageUnpacker u, int type) throws java.io.IOException,
            MalformedStreamException {
        long nodes = 0;
        long tail = 0;
        int entries = u.unpackMapHeader();
        for (int i = 0; i < entries; i++) {
            String key = u.unpackString();
            switch (key) {
                case "Nodes" -> nodes = u.unpackLong();
                case "UserStateLen", "UserMsgLen" -> tail = u.unpackLong();
                default -> u.skipValue();
            }
        }
        if (nodes < 0 || tail < 0 || nodes > PushPull.MAX_NODES || tail > maxBytes
                || (type == MessageType.USER && nodes != 0)) {
            throw new MalformedStreamException("implausible stream header");
        }
        for (long i = 0; i < nodes; i++) {
            u.skipValue();
        }
        return Math.addExact((int) u.getTotalReadBytes(), (int) tail);
    }
}
