package dev.gossip.core.wire;

import dev.gossip.core.DropReason;
import java.util.Arrays;
import java.util.Objects;

/**
 * LZW exactly as Go's {@code compress/lzw} does it with {@code lzw.LSB} and literal width 8: the
 * codec memberlist uses for its "compress" message (type 9, {@code Algo} 0). See
 * docs/protocol.md §3.4 (UDP) and §6.1 (TCP streams are always compressed).
 *
 * <p>Format: codes 0..255 are literals, 256 is clear, 257 is end of data, dictionary codes start at
 * 258. Codes start 9 bits wide and widen as soon as the next code to assign equals {@code 1 <<
 * width} (GIF style, no TIFF "early change"), up to 12 bits. Codes are packed LSB-first.
 *
 * <p>{@link #compress} reproduces Go's writer bit for bit (a single {@code Write} then {@code
 * Close}, as memberlist's {@code compressPayload} does), so our packets are the bytes a Go peer
 * would send. {@link #decompress} accepts exactly what Go's reader accepts when read to the end
 * ({@code io.Copy} in memberlist's {@code decompressBuffer}): anything else is a {@link
 * MalformedMessageException}.
 *
 * <p>Stateless and thread-safe: each call's state lives on its stack, except the dictionary
 * arrays of the encoder and decoder, which are reused per thread (calls never nest).
 */
public final class Lzw {

    private static final int LIT_WIDTH = 8;
    private static final int CLEAR = 1 << LIT_WIDTH; // 256
    private static final int EOF = CLEAR + 1; // 257
    private static final int MAX_WIDTH = 12;
    /** Go's writer resets when the next code to assign reaches this (writer.go {@code maxCode}). */
    private static final int MAX_CODE = (1 << MAX_WIDTH) - 1; // 4095

    private Lzw() {}

    // ---------------------------------------------------------------------------------------
    // Encoder
    // ---------------------------------------------------------------------------------------

    /** Compresses {@code input}; the result is byte-identical to Go's {@code lzw.NewWriter(w, LSB, 8)}. */
    public static byte[] compress(byte[] input) {
        Objects.requireNonNull(input, "input");
        int n = input.length;
        BitWriter out = new BitWriter(n / 2 + 16);
        int width = LIT_WIDTH + 1;
        if (n == 0) {
            // Go's Write returns early on empty input and Close writes the starting clear code
            // itself, still at 9 bits, followed by EOF.
            out.write(CLEAR, width);
            out.write(EOF, width);
            return out.finish();
        }

        // hi is the code implied by the next emission, overflow the value of hi at which the width
        // grows; both mirror Go's writer so the width changes on exactly the same code.
        int hi = EOF;
        int overflow = 1 << width;
        CodeTable table = new CodeTable(Math.min(n, MAX_CODE));

        // Go emits a clear code before the first code ("Encoders should output a Clear code as
        // the first code", GIF89a appendix F); the captured serf packets start with it (§3.4).
        out.write(CLEAR, width);
        int code = input[0] & 0xff;
        for (int i = 1; i < n; i++) {
            int literal = input[i] & 0xff;
            int next = table.get(code, literal);
            if (next >= 0) {
                code = next; // keep extending the longest known prefix
                continue;
            }
            out.write(code, width);
            hi++;
            if (hi == overflow) {
                width++;
                overflow <<= 1;
            }
            if (hi == MAX_CODE) {
                // Out of codes: Go sends clear at the current (12-bit) width and starts over
                // without recording (code, literal). This is before the reader's table is full,
                // so a Go reader never enters its "table full" mode on our output.
                out.write(CLEAR, width);
                width = LIT_WIDTH + 1;
                hi = EOF;
                overflow = 1 << width;
                table.clear();
            } else {
                table.put(code, literal, hi);
            }
            code = literal;
        }

        // Close(): flush the pending code, then bump hi exactly like a normal emission, since
        // that may widen the EOF code or even emit one more clear before it.
        out.write(code, width);
        hi++;
        if (hi == overflow) {
            width++;
        }
        if (hi == MAX_CODE) {
            out.write(CLEAR, width);
            width = LIT_WIDTH + 1;
        }
        out.write(EOF, width);
        return out.finish();
    }

    /**
     * Open-addressing map from (prefix code, next byte) to dictionary code, like Go's writer
     * table but sized to the input, so small UDP packets do not pay for a 4096-entry table.
     * Each slot holds {@code key << 12 | code} with a 20-bit key; 0 marks an empty slot (a stored
     * code is never below 258).
     *
     * <p>The slots live in a per-thread array that is cleared (only the part in use) rather than
     * allocated for every packet: that allocation was most of the cost of compressing gossip.
     */
    private static final class CodeTable {
        /** Room for the largest table: 4095 entries at load factor 1/2. */
        private static final ThreadLocal<int[]> SLOTS = ThreadLocal.withInitial(() -> new int[1 << 13]);

        private final int[] slots;
        private final int capacity;
        private final int mask;
        private final int shift;

        /** @param maxEntries most entries live at once (never more than 4095 - 258). */
        CodeTable(int maxEntries) {
            int capacity = 16;
            while (capacity < 2 * maxEntries) { // load factor at most 1/2
                capacity <<= 1;
            }
            this.capacity = capacity;
            slots = SLOTS.get();
            clear();
            mask = capacity - 1;
            shift = 32 - Integer.numberOfTrailingZeros(capacity);
        }

        private int slot(int key) {
            return (key * 0x9E3779B1) >>> shift; // Fibonacci hashing: keys are very regular
        }

        int get(int prefix, int literal) {
            int key = prefix << 8 | literal;
            for (int h = slot(key); ; h = (h + 1) & mask) {
                int entry = slots[h];
                if (entry == 0) {
                    return -1;
                }
                if (entry >>> 12 == key) {
                    return entry & MAX_CODE;
                }
            }
        }

        void put(int prefix, int literal, int code) {
            int key = prefix << 8 | literal;
            int h = slot(key);
            while (slots[h] != 0) {
                h = (h + 1) & mask;
            }
            slots[h] = key << 12 | code;
        }

        void clear() {
            Arrays.fill(slots, 0, capacity, 0);
        }
    }

    /** Packs variable-width codes LSB-first into a growing byte array (Go's {@code writeLSB}). */
    private static final class BitWriter {
        private byte[] buf;
        private int len;
        private int bits;
        private int nBits;

        BitWriter(int initialCapacity) {
            buf = new byte[initialCapacity];
        }

        void write(int code, int width) {
            bits |= code << nBits; // nBits < 8 and width <= 12, so this fits in an int
            nBits += width;
            while (nBits >= 8) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                buf[len++] = (byte) bits;
                bits >>>= 8;
                nBits -= 8;
            }
        }

        /** Writes the last partial byte, if any (Go's Close), and returns the output. */
        byte[] finish() {
            if (nBits > 0) {
                write(0, 8 - nBits);
            }
            return Arrays.copyOf(buf, len);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Decoder
    // ---------------------------------------------------------------------------------------

    /**
     * Decompresses {@code input}, accepting exactly what Go's reader accepts when read until the
     * EOF code: a leading clear code is optional, clear codes may appear anywhere, and bytes after
     * the EOF code are ignored.
     *
     * @param maxOutputBytes the most bytes the result may hold; longer output is rejected before it
     *     is produced, so memory stays bounded by this limit whatever the input
     * @throws MalformedMessageException on an invalid code, input that ends before the EOF code,
     *     or output longer than {@code maxOutputBytes}
     */
    public static byte[] decompress(byte[] input, int maxOutputBytes) throws MalformedMessageException {
        Objects.requireNonNull(input, "input");
        if (maxOutputBytes < 0) {
            throw new IllegalArgumentException("maxOutputBytes < 0: " + maxOutputBytes);
        }
        // Dictionary: entry c (c >= 258) is the expansion of prefix[c] followed by suffix[c].
        // length[] and first[] let us write an expansion straight into the output, back to front,
        // without Go's temporary buffer. Entries 0..255 are the literals.
        DecoderTables t = DECODER_TABLES.get();
        short[] prefix = t.prefix;
        byte[] suffix = t.suffix;
        byte[] first = t.first;
        int[] length = t.length;

        Output out = new Output(maxOutputBytes, input.length);
        int pos = 0; // next input byte
        int bits = 0;
        int nBits = 0;
        // Reader state as in Go's reader.go: codes in (EOF, hi] are valid; hi < overflow always;
        // last is the previous code, or -1 right after a clear or while the table is full.
        int width = LIT_WIDTH + 1;
        int hi = EOF;
        int overflow = 1 << width;
        int last = -1;

        while (true) {
            while (nBits < width) {
                if (pos == input.length) {
                    // Go: io.ErrUnexpectedEOF, which memberlist treats as an error.
                    throw new MalformedMessageException(DropReason.LZW, "input ends before the EOF code");
                }
                bits |= (input[pos++] & 0xff) << nBits;
                nBits += 8;
            }
            int code = bits & ((1 << width) - 1);
            bits >>>= width;
            nBits -= width;

            if (code < CLEAR) {
                out.put((byte) code);
                if (last >= 0) {
                    define(prefix, suffix, first, length, hi, last, (byte) code);
                }
            } else if (code == CLEAR) {
                width = LIT_WIDTH + 1;
                hi = EOF;
                overflow = 1 << width;
                last = -1;
                continue;
            } else if (code == EOF) {
                return out.toArray(); // Go stops reading here; trailing bytes are ignored
            } else if (code <= hi) {
                if (code == hi && last >= 0) {
                    // The code being defined right now ("KwKwK"): it expands to last's expansion
                    // plus last's first byte. Define it first, then expand it normally.
                    define(prefix, suffix, first, length, hi, last, first[last]);
                } else if (last >= 0) {
                    define(prefix, suffix, first, length, hi, last, first[code]);
                }
                int start = out.reserve(length[code]);
                int c = code;
                for (int i = start + length[code] - 1; i > start; i--) {
                    out.buf[i] = suffix[c];
                    c = prefix[c];
                }
                out.buf[start] = (byte) c;
            } else {
                throw new MalformedMessageException(DropReason.LZW, "invalid code " + code + " > " + hi);
            }

            last = code;
            hi++;
            if (hi >= overflow) {
                if (width == MAX_WIDTH) {
                    // Table full (only a non-Go encoder gets here): Go keeps decoding with the
                    // table frozen, so stop defining entries and hold hi at 4095.
                    last = -1;
                    hi--;
                } else {
                    width++;
                    overflow <<= 1;
                }
            }
        }
    }

    /**
     * The decoder's dictionary, reused per thread: allocating and zeroing 32 KiB for every small
     * UDP packet dominated decoding. Reuse is safe because the decoder only reads entries it has
     * defined since the last clear code (codes above {@code hi} are rejected, {@code hi} itself is
     * defined before it is expanded) and the literal entries 0..255 never change.
     */
    private static final class DecoderTables {
        final short[] prefix = new short[1 << MAX_WIDTH];
        final byte[] suffix = new byte[1 << MAX_WIDTH];
        final byte[] first = new byte[1 << MAX_WIDTH];
        final int[] length = new int[1 << MAX_WIDTH];

        DecoderTables() {
            for (int c = 0; c < CLEAR; c++) {
                first[c] = (byte) c;
                length[c] = 1;
            }
        }
    }

    private static final ThreadLocal<DecoderTables> DECODER_TABLES = ThreadLocal.withInitial(DecoderTables::new);

    private static void define(short[] prefix, byte[] suffix, byte[] first, int[] length,
            int code, int prefixCode, byte suffixByte) {
        prefix[code] = (short) prefixCode;
        suffix[code] = suffixByte;
        first[code] = first[prefixCode];
        length[code] = length[prefixCode] + 1;
    }

    /** Decoder output: a byte array that grows geometrically but never past the caller's limit. */
    private static final class Output {
        byte[] buf;
        private int len;
        private final int limit;

        Output(int limit, int inputLength) {
            this.limit = limit;
            // Typical serf payloads shrink to about half; start at 3x to usually avoid regrowth.
            buf = new byte[(int) Math.min(limit, Math.max(64L, 3L * inputLength))];
        }

        void put(byte b) throws MalformedMessageException {
            int at = reserve(1); // not buf[reserve(1)]: Java reads buf before reserve() regrows it
            buf[at] = b;
        }

        /** Claims {@code n} bytes at the end of the output and returns where they start. */
        int reserve(int n) throws MalformedMessageException {
            if (n > limit - len) {
                throw new MalformedMessageException(DropReason.LZW, "decompressed size exceeds limit of " + limit + " bytes");
            }
            int need = len + n;
            if (need > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(need, 2L * buf.length)));
            }
            int start = len;
            len = need;
            return start;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
