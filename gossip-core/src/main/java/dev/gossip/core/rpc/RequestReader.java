package dev.gossip.core.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one msgpack object at a time from a client's stream, never trusting a declared size: every
 * length is checked against what is left of the object's byte budget before anything is
 * allocated, and nesting is limited. Maps become {@code Map<String, Object>}, arrays
 * {@code List<Object>}, str and bin both {@code byte[]} (serf's RPC handle writes []byte as bin
 * and strings as str, and accepts either), integers {@code Long}, floats {@code Double}.
 */
final class RequestReader {

    /** The object (or its declared size) exceeds the budget. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** The bytes are not msgpack we accept. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 16;

    private final InputStream in;
    private final int maxBytes;
    private int budget;

    RequestReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Reads the next object whose first byte was already read (the caller waits for it with its own timeout). */
    Object readStartingWith(int first) throws IOException {
        budget = maxBytes - 1;
        return value(first, 0);
    }

    /** Reads the next whole object. */
    Object read() throws IOException {
        budget = maxBytes;
        return value(readByte(), 0);
    }

    private Object value(int b, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new MalformedException("nested deeper than " + MAX_DEPTH);
        }
        if (b <= 0x7f) {
            return (long) b;
        }
        if (b >= 0xe0) {
            return (long) (byte) b;
        }
        if (b >= 0x80 && b <= 0x8f) {
            return map(b & 0x0f, depth);
        }
        if (b >= 0x90 && b <= 0x9f) {
            return array(b & 0x0f, depth);
        }
        if (b >= 0xa0 && b <= 0xbf) {
            return bytes(b & 0x1f);
        }
        return switch (b) {
            case 0xc0 -> null;
            case 0xc2 -> Boolean.FALSE;
            case 0xc3 -> Boolean.TRUE;
            case 0xc4, 0xd9 -> bytes((int) unsigned(1));
            case 0xc5, 0xda -> bytes((int) unsigned(2));
            case 0xc6, 0xdb -> bytes(length(unsigned(4)));
            case 0xc7 -> ext(length(unsigned(1)));
            case 0xc8 -> ext(length(unsigned(2)));
            case 0xc9 -> ext(length(unsigned(4)));
            case 0xca -> (double) Float.intBitsToFloat((int) unsigned(4));
            case 0xcb -> Double.longBitsToDouble(signed(8));
            case 0xcc -> unsigned(1);
            case 0xcd -> unsigned(2);
            case 0xce -> unsigned(4);
            case 0xcf -> signed(8); // uint64 above Long.MAX_VALUE wraps; nothing here needs it
            case 0xd0 -> (long) (byte) unsigned(1);
            case 0xd1 -> (long) (short) unsigned(2);
            case 0xd2 -> (long) (int) unsigned(4);
            case 0xd3 -> signed(8);
            case 0xd4 -> ext(1);
            case 0xd5 -> ext(2);
            case 0xd6 -> ext(4);
            case 0xd7 -> ext(8);
            case 0xd8 -> ext(16);
            case 0xdc -> array((int) unsigned(2), depth);
            case 0xdd -> array(length(unsigned(4)), depth);
            case 0xde -> map((int) unsigned(2), depth);
            case 0xdf -> map(length(unsigned(4)), depth);
            default -> throw new MalformedException(String.format("byte 0x%02x starts no msgpack object", b));
        };
    }

    private Map<String, Object> map(int n, int depth) throws IOException {
        require(2L * n); // each key and value is at least one byte: no huge map from a tiny header
        Map<String, Object> m = new HashMap<>(Math.min(n, 64) * 2);
        for (int i = 0; i < n; i++) {
            Object k = value(readByte(), depth + 1);
            Object v = value(readByte(), depth + 1);
            m.put(k instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(k), v);
        }
        return m;
    }

    private List<Object> array(int n, int depth) throws IOException {
        require(n);
        List<Object> list = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            list.add(value(readByte(), depth + 1));
        }
        return list;
    }

    private byte[] bytes(int n) throws IOException {
        spend(n);
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new EOFException("client closed inside an object");
            }
            off += r;
        }
        return out;
    }

    /** An extension value (serf's RPC never sends one): skipped, read as nil. */
    private Object ext(int n) throws IOException {
        readByte(); // the type
        bytes(n);
        return null;
    }

    private long unsigned(int n) throws IOException {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | readByte();
        }
        return v;
    }

    private long signed(int n) throws IOException {
        return unsigned(n);
    }

    private int length(long declared) throws TooLargeException {
        if (declared > Integer.MAX_VALUE) {
            throw new TooLargeException("declared length " + declared + " exceeds the " + maxBytes + "-byte limit");
        }
        return (int) declared;
    }

    /** Fails unless {@code n} more bytes fit in the budget. */
    private void require(long n) throws TooLargeException {
        if (n > budget) {
            throw new TooLargeException("object exceeds the " + maxBytes + "-byte request limit");
        }
    }

    private void spend(long n) throws TooLargeException {
        require(n);
        budget -= (int) n;
    }

    private int readByte() throws IOException {
        if (budget <= 0) {
            throw new TooLargeException("object exceeds the " + maxBytes + "-byte request limit");
        }
        budget--;
        int b = in.read();
        if (b < 0) {
            throw new EOFException("client closed inside an object");
        }
        return b;
    }
}
