package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.ErrResp;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.wire.PushPull;
import dev.gossip.core.wire.UserMsgHeader;
import java.util.function.Supplier;

/**
 * The stream format both ways (docs/protocol.md, streams): out, compress (when enabled) then
 * encrypt; in, decrypt, decompress and decode into a {@link StreamMessage}.
 *
 * <p>Thread-safe and free of node state, so that the transport's I/O thread does this work: a
 * push/pull may be megabytes, and on the protocol thread its decoding would delay the acks that
 * keep this node from being suspected (memberlist decodes a stream in the goroutine that reads it,
 * net.go:handleConn).
 */
final class StreamCodec {

    private final Supplier<Keyring> keyring;
    private final boolean compress;
    private final MembershipDelegate delegate;

    StreamCodec(Supplier<Keyring> keyring, boolean compress, MembershipDelegate delegate) {
        this.keyring = keyring;
        this.compress = compress;
        this.delegate = delegate;
    }

    /** Compresses (always, when enabled) and encrypts a stream message. */
    byte[] encode(byte[] plain) {
        byte[] msg = compress ? Packets.compress(plain) : plain;
        Keyring ring = keyring();
        return ring == null ? msg : Encryption.encryptStream(ring, msg);
    }

    /** Decodes a whole stream message, the layer above's push/pull state included. */
    StreamMessage parse(byte[] frame) throws MalformedMessageException {
        byte[] msg = open(frame);
        int type = msg[0] & 0xff;
        return switch (type) {
            case MessageType.PUSH_PULL -> {
                PushPull remote = PushPull.decode(msg, 1, msg.length - 1);
                yield new StreamMessage.State(remote, delegate.decodeRemoteState(remote.userState()));
            }
            case MessageType.PING -> new StreamMessage.TcpPing(Ping.decode(body(msg)));
            case MessageType.USER -> new StreamMessage.User(UserMsgHeader.decode(msg, 1, msg.length - 1));
            case MessageType.ACK -> new StreamMessage.TcpAck(Ack.decode(body(msg)));
            case MessageType.ERR -> new StreamMessage.Refusal(ErrResp.decode(body(msg)).error());
            default -> throw new MalformedMessageException(DropReason.UNKNOWN_TYPE, "stream message type " + type);
        };
    }

    /** Decrypts and decompresses; refuses plaintext when we have keys. */
    private byte[] open(byte[] frame) throws MalformedMessageException {
        if (frame.length == 0) {
            throw new MalformedMessageException(DropReason.STREAM, "empty stream");
        }
        Keyring ring = keyring();
        byte[] buf = frame;
        if ((buf[0] & 0xff) == MessageType.ENCRYPT) {
            if (ring == null) {
                throw new MalformedMessageException(DropReason.UNEXPECTED_ENCRYPTION,
                        "Remote state is encrypted and encryption is not configured");
            }
            buf = Encryption.decryptStream(ring, buf);
        } else if (ring != null) {
            throw new MalformedMessageException(DropReason.NOT_ENCRYPTED,
                    "Encryption is configured but remote state is not encrypted");
        }
        if (buf.length > 0 && (buf[0] & 0xff) == MessageType.COMPRESS) {
            buf = Packets.decompress(buf, 1, buf.length - 1);
        }
        if (buf.length == 0) {
            throw new MalformedMessageException(DropReason.STREAM, "empty message");
        }
        return buf;
    }

    private Keyring keyring() {
        return keyring == null ? null : keyring.get();
    }

    private static MsgReader body(byte[] msg) {
        return new MsgReader(msg, 1, msg.length - 1);
    }
}
