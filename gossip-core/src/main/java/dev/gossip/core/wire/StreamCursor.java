package dev.gossip.core.wire;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.StreamFramer.MalformedStreamException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks one stream message as its bytes arrive, keeping its place between calls: every byte is
 * walked once, plus at most one type byte per call re-read while its header is incomplete.
 *
 * <p>Values are skipped with a single counter of values still owed (a container adds its
 * children), so nesting costs no memory. String and binary payloads are jumped over, not read.
 */
final class StreamCursor implements StreamFramer.Cursor {

    private enum Phase { TYPE, ENCRYPTED, HEADER, HEADER_KEY, HEADER_VALUE, SKIP, DONE }

    private enum Key { NODES, TAIL_LEN, OTHER }

    private static final byte[] NODES = "Nodes".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER_STATE_LEN = "UserStateLen".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER_MSG_LEN = "UserMsgLen".getBytes(StandardCharsets.US_ASCII);

    private final int maxBytes;
    private final boolean encryptionRequired;

    private Phase phase = Phase.TYPE;
    private int type;
    /** Next byte to walk, relative to {@code off}; may lie beyond the bytes seen so far. */
    private long pos;
    /** Values still to skip in {@link Phase#SKIP}. */
    private long owed;
    /** Where {@link Phase#SKIP} returns: to the header's next key, or to the end. */
    private boolean inHeader;
    private long entriesLeft;
    private Key key;
    private long nodes;
    private long tail;
    private int total;
    private long walked;

    StreamCursor(int maxBytes, boolean encryptionRequired) {
        this.maxBytes = maxBytes;
        this.encryptionRequired = encryptionRequired;
    }

    /** Bytes walked or jumped over so far (not the raw tail), re-reads counted again; for tests. */
    long bytesWalked() {
        return walked;
    }

    @Override
    public int frameLength(byte[] buf, int off, int len) throws MalformedStreamException {
        while (phase != Phase.DONE) {
            if (!step(buf, off, len)) {
                if (len >= maxBytes) {
                    throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
                }
                return StreamFramer.NEED_MORE;
            }
        }
        return len >= total ? total : StreamFramer.NEED_MORE;
    }

    /** Advances one step; false when it needs bytes that have not arrived. */
    private boolean step(byte[] buf, int off, int len) throws MalformedStreamException {
        switch (phase) {
            case TYPE -> {
                if (len < 1) {
                    return false;
                }
                type = buf[off] & 0xff;
                advance(1);
                if (encryptionRequired && type != MessageType.ENCRYPT) {
                    throw new MalformedStreamException(StreamFramer.NOT_ENCRYPTED,
                            "Encryption is configured but remote state is not encrypted");
                }
                switch (type) {
                    case MessageType.ENCRYPT -> phase = Phase.ENCRYPTED;
                    case MessageType.PING, MessageType.ACK, MessageType.ERR, MessageType.COMPRESS,
                            MessageType.NACK -> skipThenEnd(1);
                    case MessageType.PUSH_PULL, MessageType.USER -> phase = Phase.HEADER;
                    default -> throw new MalformedStreamException(
                            "unexpected stream message type " + type);
                }
            }
            case ENCRYPTED -> {
                // memberlist's encrypted stream: type, 4-byte big-endian length, ciphertext.
                if (len < 5) {
                    return false;
                }
                long l = ((buf[off + 1] & 0xffL) << 24) | ((buf[off + 2] & 0xffL) << 16)
                        | ((buf[off + 3] & 0xffL) << 8) | (buf[off + 4] & 0xffL);
                advance(4);
                if (l > maxBytes) {
                    throw new MalformedStreamException(
                            "encrypted stream of " + l + " bytes is over the limit");
                }
                total = 5 + (int) l;
                phase = Phase.DONE;
            }
            case HEADER -> {
                Header h = header(buf, off, len);
                if (h == null) {
                    return false;
                }
                if (h.kind != Header.MAP) {
                    throw new MalformedStreamException("stream header is not a map");
                }
                entriesLeft = h.count / 2;
                phase = Phase.HEADER_KEY;
            }
            case HEADER_KEY -> {
                if (entriesLeft == 0) {
                    endOfHeader();
                    return true;
                }
                Header h = header(buf, off, len);
                if (h == null) {
                    return false;
                }
                if (h.kind != Header.RAW) {
                    throw new MalformedStreamException("stream header key is not a string");
                }
                if (pos + h.payload > maxBytes) {
                    throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
                }
                if (pos + h.payload > len) {
                    unread(h);
                    return false;
                }
                key = keyOf(buf, off + (int) pos, (int) h.payload);
                advance(h.payload);
                entriesLeft--;
                phase = Phase.HEADER_VALUE;
            }
            case HEADER_VALUE -> {
                if (key == Key.OTHER) {
                    inHeader = true;
                    owed = 1;
                    phase = Phase.SKIP;
                    return true;
                }
                if (pos >= len) {
                    return false;
                }
                Long value = integer(buf, off, len);
                if (value == null) {
                    return false;
                }
                // Duplicate keys: the last wins, as in a decoder that fills a struct.
                if (key == Key.NODES) {
                    nodes = value;
                } else {
                    tail = value;
                }
                phase = Phase.HEADER_KEY;
            }
            case SKIP -> {
                if (owed == 0) {
                    if (inHeader) {
                        inHeader = false;
                        phase = Phase.HEADER_KEY;
                    } else {
                        end(tail);
                    }
                    return true;
                }
                Header h = header(buf, off, len);
                if (h == null) {
                    return false;
                }
                advance(h.payload);
                owed = owed - 1 + h.count;
                // Every value takes a byte at least: more owed than the limit can never fit.
                if (owed > maxBytes) {
                    throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
                }
            }
            case DONE -> {
                return true;
            }
        }
        return true;
    }

    /** Push/pull: header, {@code Nodes} values, {@code UserStateLen} bytes. User: header, bytes. */
    private void endOfHeader() throws MalformedStreamException {
        if (nodes < 0 || tail < 0 || nodes > PushPull.MAX_NODES || tail > maxBytes
                || (type == MessageType.USER && nodes != 0)) {
            throw new MalformedStreamException("implausible stream header");
        }
        skipThenEnd(nodes);
    }

    private void skipThenEnd(long values) throws MalformedStreamException {
        inHeader = false;
        owed = values;
        phase = Phase.SKIP;
        if (values == 0) {
            end(tail);
        }
    }

    private void end(long tailBytes) throws MalformedStreamException {
        long t = pos + tailBytes;
        if (t > maxBytes) {
            throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
        }
        total = (int) t;
        phase = Phase.DONE;
    }

    private void advance(long n) throws MalformedStreamException {
        pos += n;
        walked += n;
        if (pos > maxBytes) {
            throw new MalformedStreamException("stream message over " + maxBytes + " bytes");
        }
    }

    /** Steps back over a header whose payload has not all arrived; the next call reads it again. */
    private void unread(Header h) {
        pos -= h.length;
    }

    private static Key keyOf(byte[] buf, int at, int n) {
        if (equal(buf, at, n, NODES)) {
            return Key.NODES;
        }
        if (equal(buf, at, n, USER_STATE_LEN) || equal(buf, at, n, USER_MSG_LEN)) {
            return Key.TAIL_LEN;
        }
        return Key.OTHER;
    }

    private static boolean equal(byte[] buf, int at, int n, byte[] name) {
        return n == name.length && Arrays.equals(buf, at, at + n, name, 0, n);
    }

    /** One msgpack header: its length, what it is, the payload bytes and child values it owns. */
    private record Header(int length, int kind, long payload, long count) {
        static final int SCALAR = 0;
        static final int RAW = 1;
        static final int MAP = 2;
        static final int ARRAY = 3;
        static final int EXT = 4;
    }

    /**
     * Reads the msgpack header at {@link #pos} and steps past it (not past its payload), or
     * returns null, having read only the first byte, when it has not all arrived.
     */
    private Header header(byte[] buf, int off, int len) throws MalformedStreamException {
        if (pos >= len) {
            return null;
        }
        int at = off + (int) pos;
        int b = buf[at] & 0xff;
        int size = headerSize(b);
        if (pos + size > len) {
            walked++;
            return null;
        }
        Header h;
        if (b <= 0x7f || b >= 0xe0) {
            h = new Header(1, Header.SCALAR, 0, 0);
        } else if (b <= 0x8f) {
            h = new Header(1, Header.MAP, 0, 2L * (b & 0x0f));
        } else if (b <= 0x9f) {
            h = new Header(1, Header.ARRAY, 0, b & 0x0f);
        } else if (b <= 0xbf) {
            h = new Header(1, Header.RAW, b & 0x1f, 0);
        } else {
            h = switch (b) {
                case 0xc0, 0xc2, 0xc3, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3 ->
                        new Header(size, Header.SCALAR, 0, 0);
                case 0xc4, 0xd9 -> new Header(size, Header.RAW, buf[at + 1] & 0xff, 0);
                case 0xc5, 0xda -> new Header(size, Header.RAW, u16(buf, at + 1), 0);
                case 0xc6, 0xdb -> new Header(size, Header.RAW, len32(buf, at + 1), 0);
                case 0xc7 -> new Header(size, Header.EXT, buf[at + 1] & 0xff, 0);
                case 0xc8 -> new Header(size, Header.EXT, u16(buf, at + 1), 0);
                case 0xc9 -> new Header(size, Header.EXT, len32(buf, at + 1), 0);
                case 0xd4 -> new Header(size, Header.EXT, 1, 0);
                case 0xd5 -> new Header(size, Header.EXT, 2, 0);
                case 0xd6 -> new Header(size, Header.EXT, 4, 0);
                case 0xd7 -> new Header(size, Header.EXT, 8, 0);
                case 0xd8 -> new Header(size, Header.EXT, 16, 0);
                case 0xdc -> new Header(size, Header.ARRAY, 0, u16(buf, at + 1));
                case 0xdd -> new Header(size, Header.ARRAY, 0, len32(buf, at + 1));
                case 0xde -> new Header(size, Header.MAP, 0, 2L * u16(buf, at + 1));
                case 0xdf -> new Header(size, Header.MAP, 0, 2L * len32(buf, at + 1));
                default -> throw new MalformedStreamException("malformed stream message: byte 0x"
                        + Integer.toHexString(b) + " is never used");
            };
        }
        advance(size);
        return h;
    }

    /** Reads an integer value (any msgpack integer format) or null when it has not all arrived. */
    private Long integer(byte[] buf, int off, int len) throws MalformedStreamException {
        int at = off + (int) pos;
        int b = buf[at] & 0xff;
        if (b <= 0x7f || b >= 0xe0) {
            advance(1);
            return (long) (byte) b;
        }
        if (b < 0xcc || b > 0xd3) {
            throw new MalformedStreamException("stream header length is not an integer");
        }
        int size = headerSize(b);
        if (pos + size > len) {
            walked++;
            return null;
        }
        long v = switch (b) {
            case 0xcc -> buf[at + 1] & 0xff;
            case 0xcd -> u16(buf, at + 1);
            case 0xce -> u32(buf, at + 1);
            case 0xcf -> s64(buf, at + 1);
            case 0xd0 -> buf[at + 1];
            case 0xd1 -> (short) u16(buf, at + 1);
            case 0xd2 -> (int) u32(buf, at + 1);
            default -> s64(buf, at + 1);
        };
        if (b == 0xcf && v < 0) {
            throw new MalformedStreamException("stream header length over 2^63");
        }
        advance(size);
        return v;
    }

    /** Header bytes (type byte included) announced by a msgpack type byte. */
    private static int headerSize(int b) {
        return switch (b) {
            case 0xc4, 0xcc, 0xd0, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9 -> 2;
            case 0xc5, 0xc7, 0xcd, 0xd1, 0xda, 0xdc, 0xde -> 3;
            case 0xc8 -> 4;
            case 0xc6, 0xca, 0xce, 0xd2, 0xdb, 0xdd, 0xdf -> 5;
            case 0xc9 -> 6;
            case 0xcb, 0xcf, 0xd3 -> 9;
            default -> 1;
        };
    }

    /** A 32-bit length; msgpack-core refuses those of 2^31 and above, and so do we. */
    private static long len32(byte[] buf, int at) throws MalformedStreamException {
        long n = u32(buf, at);
        if (n > Integer.MAX_VALUE) {
            throw new MalformedStreamException("malformed stream message: length " + n);
        }
        return n;
    }

    private static long u16(byte[] buf, int at) {
        return ((buf[at] & 0xff) << 8) | (buf[at + 1] & 0xff);
    }

    private static long u32(byte[] buf, int at) {
        return (u16(buf, at) << 16) | u16(buf, at + 2);
    }

    private static long s64(byte[] buf, int at) {
        return (u32(buf, at) << 32) | u32(buf, at + 4);
    }
}
