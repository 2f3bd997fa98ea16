package dev.gossip.core.wire;

import dev.gossip.core.DropReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/** The containers around messages: compound (§3.3), CRC frame and compression (§3.2, §3.4). */
public final class Packets {

    /**
     * Largest message accepted after decompression: memberlist's maxDecompressedBytes (net.go,
     * checked in util.go:decompressBuffer), twice maxPushStateBytes: a push/pull's 20 MiB of user
     * state plus as much again for its nodes. UDP packets get a much smaller budget.
     */
    public static final int MAX_DECOMPRESSED = 40 * 1024 * 1024;

    private Packets() {}

    /** Most parts one compound can count in its one-byte header. */
    public static final int MAX_COMPOUND_PARTS = 255;

    /**
     * As many compounds as it takes, in order, each of at most 255 parts: the count is one byte
     * (memberlist util.go:makeCompoundMessages).
     */
    public static List<byte[]> compounds(List<byte[]> messages) {
        List<byte[]> out = new ArrayList<>((messages.size() + MAX_COMPOUND_PARTS - 1) / MAX_COMPOUND_PARTS);
        for (int from = 0; from < messages.size(); from += MAX_COMPOUND_PARTS) {
            int to = Math.min(messages.size(), from + MAX_COMPOUND_PARTS);
            out.add(compound(messages.subList(from, to)));
        }
        return out;
    }

    /** {@code [7][count][len...][msgs...]}; at most 255 parts of at most 65535 bytes each. */
    public static byte[] compound(List<byte[]> messages) {
        if (messages.size() > MAX_COMPOUND_PARTS) {
            throw new IllegalArgumentException("compound holds at most 255 messages");
        }
        int total = 2 + 2 * messages.size();
        for (byte[] m : messages) {
            total += m.length;
        }
        byte[] out = new byte[total];
        out[0] = (byte) MessageType.COMPOUND;
        out[1] = (byte) messages.size();
        int at = 2;
        for (byte[] m : messages) {
            out[at++] = (byte) (m.length >>> 8);
            out[at++] = (byte) m.length;
        }
        for (byte[] m : messages) {
            System.arraycopy(m, 0, out, at, m.length);
            at += m.length;
        }
        return out;
    }

    /**
     * Splits a compound body (after the type byte). Parts cut short by the end of the buffer are
     * left out, as memberlist does; a header that does not fit is malformed.
     */
    public static List<byte[]> splitCompound(byte[] buf, int off, int len)
            throws MalformedMessageException {
        if (len < 1) {
            throw new MalformedMessageException(DropReason.COMPOUND, "missing count");
        }
        int count = buf[off] & 0xff;
        if (len < 1 + 2 * count) {
            throw new MalformedMessageException(DropReason.COMPOUND, "truncated header");
        }
        List<byte[]> parts = new ArrayList<>(count);
        int at = off + 1 + 2 * count;
        int end = off + len;
        for (int i = 0; i < count; i++) {
            int partLen = ((buf[off + 1 + 2 * i] & 0xff) << 8) | (buf[off + 2 + 2 * i] & 0xff);
            if (at + partLen > end) {
                break; // truncated tail
            }
            parts.add(Arrays.copyOfRange(buf, at, at + partLen));
            at += partLen;
        }
        return parts;
    }

    /** {@code [12][crc32 BE][msg]}, for peers that speak memberlist protocol 5. */
    public static byte[] withCrc(byte[] msg) {
        CRC32 crc = new CRC32();
        crc.update(msg);
        long v = crc.getValue();
        byte[] out = new byte[5 + msg.length];
        out[0] = (byte) MessageType.HAS_CRC;
        out[1] = (byte) (v >>> 24);
        out[2] = (byte) (v >>> 16);
        out[3] = (byte) (v >>> 8);
        out[4] = (byte) v;
        System.arraycopy(msg, 0, out, 5, msg.length);
        return out;
    }

    /** Checks the CRC of a {@code [12][crc][msg]} frame and returns msg. */
    public static byte[] stripCrc(byte[] buf) throws MalformedMessageException {
        if (buf.length < 5) {
            throw new MalformedMessageException(DropReason.CRC, "frame too short");
        }
        long expected = ((buf[1] & 0xffL) << 24) | ((buf[2] & 0xffL) << 16)
                | ((buf[3] & 0xffL) << 8) | (buf[4] & 0xffL);
        CRC32 crc = new CRC32();
        crc.update(buf, 5, buf.length - 5);
        if (crc.getValue() != expected) {
            throw new MalformedMessageException(DropReason.CRC, "checksum mismatch");
        }
        return Arrays.copyOfRange(buf, 5, buf.length);
    }

    /** {@code [9][{Algo: 0, Buf: lzw(msg)}]}. */
    public static byte[] compress(byte[] msg) {
        return MsgWriter.message(MessageType.COMPRESS).map(2)
                .str("Algo").uint(0).str("Buf").raw(Lzw.compress(msg)).toByteArray();
    }

    /** Decompresses the body of a type-9 message (after the type byte). */
    public static byte[] decompress(byte[] buf, int off, int len) throws MalformedMessageException {
        return decompress(buf, off, len, MAX_DECOMPRESSED);
    }

    /** As {@link #decompress(byte[], int, int)}, refusing output longer than {@code maxBytes}. */
    public static byte[] decompress(byte[] buf, int off, int len, int maxBytes)
            throws MalformedMessageException {
        MsgReader r = new MsgReader(buf, off, len);
        long algo = -1;
        byte[] data = null;
        int n = r.map();
        for (int i = 0; i < n; i++) {
            switch (r.str()) {
                case "Algo" -> algo = r.integer();
                case "Buf" -> data = r.bytes();
                default -> r.skip();
            }
        }
        if (algo != 0) {
            throw new MalformedMessageException(DropReason.COMPRESS, "unknown algorithm " + algo);
        }
        if (data == null) {
            throw new MalformedMessageException(DropReason.COMPRESS, "no buffer");
        }
        return Lzw.decompress(data, maxBytes);
    }
}
