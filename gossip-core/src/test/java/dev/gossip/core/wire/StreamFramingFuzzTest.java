package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.StreamFramer.MalformedStreamException;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Valid and hostile streams, cut at random points into random-size pieces, frame exactly as they
 * do in one piece: same frame length, same rejection (reason included), or still waiting.
 * The bytes beyond what has arrived are junk, so a framer that peeks ahead is caught too.
 */
class StreamFramingFuzzTest {

    private static final long SEED = 0xF4A3_1E55L;
    private static final int INPUTS = 120_000;
    private static final int[] LIMITS = {8 * 1024 * 1024, 4096, 300};

    private final SplittableRandom rnd = new SplittableRandom(SEED);

    @Test
    void piecesFrameExactlyAsTheWhole() {
        long start = System.nanoTime();
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = input();
            int limit = LIMITS[rnd.nextInt(LIMITS.length)];
            StreamFraming framing = new StreamFraming(limit, rnd.nextInt(8) == 0);
            String whole = feed(framing, input, 0);
            String pieces = feed(framing, input, 1 + rnd.nextInt(Math.max(1, pieceBound(input))));
            if (!whole.equals(pieces)) {
                fail("input %d (limit %d): whole %s, in pieces %s: %s", i, limit, whole, pieces,
                        HexFormat.of().formatHex(input, 0, Math.min(input.length, 256)));
            }
            outcomes.merge(whole.startsWith("frame") ? "frame" : whole, 1, Integer::sum);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("StreamFramingFuzzTest: %d inputs, outcomes %s, %.1f s%n", INPUTS, outcomes,
                seconds);
        assertThat(outcomes).containsKeys("frame", "need-more", "malformed",
                StreamFramer.NOT_ENCRYPTED);
        assertThat(seconds).as("wall time").isLessThan(60);
    }

    private int pieceBound(byte[] input) {
        return switch (rnd.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 16;
            case 2 -> 256;
            default -> input.length;
        };
    }

    /**
     * Feeds {@code input} to one cursor in pieces of up to {@code maxPiece} bytes (0: whole), at a random
     * offset in a buffer whose unreceived part is junk, until it answers.
     */
    private String feed(StreamFraming framing, byte[] input, int maxPiece) {
        int pad = rnd.nextInt(8);
        byte[] buf = new byte[pad + input.length + 16];
        rnd.nextBytes(buf);
        StreamFramer.Cursor cursor = framing.newCursor();
        int filled = 0;
        try {
            do {
                int piece = maxPiece == 0 ? input.length
                        : Math.min(input.length - filled, 1 + rnd.nextInt(maxPiece));
                System.arraycopy(input, filled, buf, pad + filled, piece);
                filled += piece;
                int frame = cursor.frameLength(buf, pad, filled);
                if (frame != StreamFramer.NEED_MORE) {
                    if (frame < 1 || frame > filled) {
                        return "nonsense " + frame + " of " + filled;
                    }
                    return "frame " + frame;
                }
            } while (filled < input.length);
            return "need-more";
        } catch (MalformedStreamException e) {
            return e.reason();
        }
    }

    private byte[] input() {
        byte[] valid = valid();
        return switch (rnd.nextInt(6)) {
            case 0 -> { // flip a few bytes
                for (int n = 1 + rnd.nextInt(3); n > 0 && valid.length > 0; n--) {
                    valid[rnd.nextInt(valid.length)] = (byte) rnd.nextInt(256);
                }
                yield valid;
            }
            case 1 -> java.util.Arrays.copyOf(valid, rnd.nextInt(valid.length + 1));
            case 2 -> { // trailing bytes after the message
                byte[] more = java.util.Arrays.copyOf(valid, valid.length + 1 + rnd.nextInt(20));
                yield more;
            }
            case 3 -> {
                byte[] junk = new byte[rnd.nextInt(64)];
                rnd.nextBytes(junk);
                yield junk;
            }
            default -> valid;
        };
    }

    private byte[] valid() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (rnd.nextInt(5)) {
            case 0 -> {
                int[] types = {MessageType.PING, MessageType.ACK, MessageType.ERR, MessageType.COMPRESS,
                        MessageType.NACK};
                out.write(types[rnd.nextInt(types.length)]);
                value(out, 3);
            }
            case 1, 2 -> {
                boolean user = rnd.nextInt(4) == 0;
                out.write(user ? MessageType.USER : MessageType.PUSH_PULL);
                int nodes = user ? 0 : rnd.nextInt(6);
                int tail = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(600);
                int extra = rnd.nextInt(3);
                mapHeader(out, 2 + extra);
                str(out, "Join");
                value(out, 2);
                str(out, "Nodes");
                integer(out, nodes);
                for (int e = 0; e < extra - 1; e++) {
                    str(out, "Other" + e);
                    value(out, 2);
                }
                if (extra > 0) {
                    str(out, user ? "UserMsgLen" : "UserStateLen");
                    integer(out, tail);
                } else {
                    tail = 0;
                }
                for (int n = 0; n < nodes; n++) {
                    value(out, 3);
                }
                out.writeBytes(new byte[tail]);
            }
            case 3 -> {
                int len = rnd.nextInt(500);
                out.write(MessageType.ENCRYPT);
                out.writeBytes(new byte[] {0, 0, (byte) (len >> 8), (byte) len});
                out.writeBytes(new byte[len]);
            }
            default -> {
                out.write(rnd.nextInt(16));
                value(out, 2);
            }
        }
        return out.toByteArray();
    }

    /** A random msgpack value in any format, nested up to {@code depth}. */
    private void value(ByteArrayOutputStream out, int depth) {
        int kind = rnd.nextInt(depth > 0 ? 9 : 6);
        switch (kind) {
            case 0 -> integer(out, rnd.nextLong() >> rnd.nextInt(64));
            case 1 -> out.write(new int[] {0xc0, 0xc2, 0xc3}[rnd.nextInt(3)]);
            case 2 -> {
                boolean dbl = rnd.nextBoolean();
                out.write(dbl ? 0xcb : 0xca);
                out.writeBytes(new byte[dbl ? 8 : 4]);
            }
            case 3 -> raw(out, rnd.nextBoolean() ? 0xa0 : -1, rnd.nextInt(300));
            case 4 -> raw(out, -2, rnd.nextInt(300));
            case 5 -> ext(out, rnd.nextInt(40));
            case 6 -> {
                int n = rnd.nextInt(5);
                int f = rnd.nextInt(3);
                if (f == 0) {
                    out.write(0x90 | n);
                } else {
                    out.write(f == 1 ? 0xdc : 0xdd);
                    if (f == 2) {
                        out.write(0);
                        out.write(0);
                    }
                    out.write(0);
                    out.write(n);
                }
                for (int i = 0; i < n; i++) {
                    value(out, depth - 1);
                }
            }
            default -> {
                int n = rnd.nextInt(4);
                mapHeader(out, n);
                for (int i = 0; i < 2 * n; i++) {
                    value(out, depth - 1);
                }
            }
        }
    }

    private void mapHeader(ByteArrayOutputStream out, int n) {
        switch (rnd.nextInt(3)) {
            case 0 -> out.write(0x80 | n);
            case 1 -> out.writeBytes(new byte[] {(byte) 0xde, 0, (byte) n});
            default -> out.writeBytes(new byte[] {(byte) 0xdf, 0, 0, 0, (byte) n});
        }
    }

    private void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        rawHeader(out, rnd.nextInt(3) == 0 ? -1 : 0xa0, b.length);
        out.writeBytes(b);
    }

    private void raw(ByteArrayOutputStream out, int family, int n) {
        rawHeader(out, family, n);
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        out.writeBytes(b);
    }

    /** family 0xa0: fixstr when it fits; -1: str8/16/32; -2: bin8/16/32. */
    private void rawHeader(ByteArrayOutputStream out, int family, int n) {
        if (family == 0xa0 && n < 32) {
            out.write(0xa0 | n);
            return;
        }
        int w = n < 256 ? rnd.nextInt(3) : 1 + rnd.nextInt(2);
        int[] codes = family == -2 ? new int[] {0xc4, 0xc5, 0xc6} : new int[] {0xd9, 0xda, 0xdb};
        out.write(codes[w]);
        length(out, w, n);
    }

    private void ext(ByteArrayOutputStream out, int n) {
        int[] fixed = {1, 2, 4, 8, 16};
        int f = rnd.nextInt(fixed.length);
        if (rnd.nextBoolean()) {
            out.write(0xd4 + f);
            out.write(rnd.nextInt(128));
            out.writeBytes(new byte[fixed[f]]);
        } else {
            int w = rnd.nextInt(3);
            out.write(0xc7 + w);
            length(out, w, n);
            out.write(rnd.nextInt(128));
            out.writeBytes(new byte[n]);
        }
    }

    private static void length(ByteArrayOutputStream out, int width, int n) {
        for (int shift = (1 << width) * 8 - 8; shift >= 0; shift -= 8) {
            out.write(n >>> shift);
        }
    }

    private void integer(ByteArrayOutputStream out, long v) {
        if (v >= 0 && v < 128 && rnd.nextBoolean()) {
            out.write((int) v);
            return;
        }
        if (v >= -32 && v < 0 && rnd.nextBoolean()) {
            out.write((int) v);
            return;
        }
        int w = rnd.nextInt(4); // 1, 2, 4 or 8 bytes, signed or unsigned format
        if (v < 0 || rnd.nextBoolean()) {
            w = Math.max(w, v == (byte) v ? 0 : v == (short) v ? 1 : v == (int) v ? 2 : 3);
            out.write(0xd0 + w);
        } else {
            w = Math.max(w, v < 256 ? 0 : v < 65536 ? 1 : v < (1L << 32) ? 2 : 3);
            out.write(0xcc + w);
        }
        for (int shift = (1 << w) * 8 - 8; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
    }
}
