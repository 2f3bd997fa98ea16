package dev.gossip.core.wire;

import dev.gossip.core.DropReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads msgpack from untrusted bytes the way Go's decoder is lenient (§2): str and bin are both
 * byte strings, nil reads as empty, any int width is fine. Every length and count is checked
 * against the bytes actually left before anything is allocated, and every failure becomes a
 * {@link MalformedMessageException}.
 */
public final class MsgReader {

    private final MessageUnpacker unpacker;
    private final int length;

    public MsgReader(byte[] buf, int off, int len) {
        this.unpacker = MessagePack.newDefaultUnpacker(buf, off, len);
        this.length = len;
    }

    public MsgReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /** Bytes consumed so far. */
    public int position() {
        return (int) unpacker.getTotalReadBytes();
    }

    public int remaining() {
        return length - position();
    }

    public boolean hasNext() throws MalformedMessageException {
        try {
            return unpacker.hasNext();
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    /** A map header; the count is bounded by the bytes left (each entry needs two bytes). */
    public int map() throws MalformedMessageException {
        try {
            int n = unpacker.unpackMapHeader();
            return bounded(n, 2);
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    /** An array header, or -1 for nil. */
    public int arrayOrNil() throws MalformedMessageException {
        try {
            if (unpacker.tryUnpackNil()) {
                return -1;
            }
            return bounded(unpacker.unpackArrayHeader(), 1);
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    public String str() throws MalformedMessageException {
        byte[] b = bytes();
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    /** A str or bin value as bytes; {@code null} for nil. */
    public byte[] bytes() throws MalformedMessageException {
        try {
            MessageFormat f = unpacker.getNextFormat();
            int n;
            if (f == MessageFormat.NIL) {
                unpacker.unpackNil();
                return null;
            } else if (f.getValueType() == ValueType.STRING) {
                n = unpacker.unpackRawStringHeader();
            } else if (f.getValueType() == ValueType.BINARY) {
                n = unpacker.unpackBinaryHeader();
            } else {
                throw new MalformedMessageException(DropReason.MSGPACK, "expected bytes, got " + f);
            }
            bounded(n, 1);
            return unpacker.readPayload(n);
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    /** Any integer (or bool, as Go accepts), nil as 0. */
    public long integer() throws MalformedMessageException {
        try {
            MessageFormat f = unpacker.getNextFormat();
            if (f == MessageFormat.NIL) {
                unpacker.unpackNil();
                return 0;
            }
            if (f.getValueType() == ValueType.BOOLEAN) {
                return unpacker.unpackBoolean() ? 1 : 0;
            }
            if (f == MessageFormat.UINT64) {
                return unpacker.unpackBigInteger().longValue(); // LamportTime may use all 64 bits
            }
            return unpacker.unpackLong();
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    /** An unsigned integer that must fit {@code max}. */
    public long uint(long max) throws MalformedMessageException {
        long v = integer();
        if (max != Long.MAX_VALUE && (v < 0 || v > max)) {
            throw new MalformedMessageException(DropReason.MSGPACK, "integer out of range: " + v);
        }
        return v;
    }

    public boolean bool() throws MalformedMessageException {
        try {
            MessageFormat f = unpacker.getNextFormat();
            if (f.getValueType() == ValueType.BOOLEAN) {
                return unpacker.unpackBoolean();
            }
            return integer() != 0;
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    /** Skips one value of any type (bounded: skipping cannot allocate). */
    public void skip() throws MalformedMessageException {
        try {
            unpacker.skipValue();
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    /** map[string]string (tags); nil reads as empty. */
    public Map<String, String> stringMap() throws MalformedMessageException {
        if (tryNil()) {
            return Map.of();
        }
        int n = map();
        Map<String, String> m = new HashMap<>(Math.min(n, 64) * 2);
        for (int i = 0; i < n; i++) {
            m.put(str(), str());
        }
        return m;
    }

    /** []string; nil reads as empty. */
    public List<String> stringList() throws MalformedMessageException {
        int n = arrayOrNil();
        List<String> l = new ArrayList<>(Math.max(0, Math.min(n, 64)));
        for (int i = 0; i < n; i++) {
            l.add(str());
        }
        return l;
    }

    public boolean tryNil() throws MalformedMessageException {
        try {
            return unpacker.tryUnpackNil();
        } catch (IOException | MessagePackException e) {
            throw malformed(e);
        }
    }

    private int bounded(int n, int minBytesEach) throws MalformedMessageException {
        if (n < 0 || (long) n * minBytesEach > remaining()) {
            throw new MalformedMessageException(DropReason.MSGPACK, "length " + n + " exceeds input");
        }
        return n;
    }

    private static MalformedMessageException malformed(Exception e) {
        return new MalformedMessageException(DropReason.MSGPACK, String.valueOf(e.getMessage()));
    }
}
