package dev.gossip.core.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Writes msgpack the way Go's legacy go-msgpack does (protocol doc §2): strings and byte slices
 * both as raw strings (never str8, never bin), unsigned ints in their smallest form, struct
 * fields as maps with the Go field names.
 */
public final class MsgWriter {

    /**
     * Buffers start small: most messages are tens of bytes, and msgpack-core's default 8 KiB
     * buffer per writer made allocation the main cost of encoding in big simulated clusters.
     */
    private static final MessagePack.PackerConfig CONFIG =
            new MessagePack.PackerConfig().withStr8FormatSupport(false).withBufferSize(256);

    private final MessageBufferPacker packer = CONFIG.newBufferPacker();

    /** Starts a message with its one-byte type. */
    public static MsgWriter message(int type) {
        MsgWriter w = new MsgWriter();
        return w.rawByte(type);
    }

    public MsgWriter rawByte(int b) {
        try {
            packer.writePayload(new byte[] {(byte) b});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public MsgWriter rawBytes(byte[] bytes) {
        try {
            packer.writePayload(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public MsgWriter map(int entries) {
        try {
            packer.packMapHeader(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public MsgWriter array(int entries) {
        try {
            packer.packArrayHeader(entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A string field, as Go writes it. */
    public MsgWriter str(String value) {
        return raw(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A []byte field: raw string, or nil for {@code null}. */
    public MsgWriter raw(byte[] value) {
        try {
            if (value == null) {
                packer.packNil();
            } else {
                packer.packRawStringHeader(value.length);
                packer.writePayload(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * An unsigned integer in the smallest format, as go-msgpack writes a Go uint. A negative
     * {@code value} is a uint64 of 2^63 or more (Serf's LamportTime uses all 64 bits): written as
     * uint64, never as a negative int, which Go would refuse to decode into an unsigned field.
     */
    public MsgWriter uint(long value) {
        try {
            if (value < 0) {
                packer.packBigInteger(new java.math.BigInteger(Long.toUnsignedString(value)));
                return this;
            }
            packer.packLong(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public MsgWriter bool(boolean value) {
        try {
            packer.packBoolean(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public MsgWriter nil() {
        try {
            packer.packNil();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A map[string]string (tags), keys sorted so the bytes are stable. */
    public MsgWriter stringMap(Map<String, String> map) {
        map(map.size());
        map.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> str(e.getKey()).str(e.getValue()));
        return this;
    }

    /** A []string, nil when {@code null}. */
    public MsgWriter stringList(List<String> list) {
        if (list == null) {
            return nil();
        }
        array(list.size());
        list.forEach(this::str);
        return this;
    }

    public byte[] toByteArray() {
        return packer.toByteArray();
    }
}
