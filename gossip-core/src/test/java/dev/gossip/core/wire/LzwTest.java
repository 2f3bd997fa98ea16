package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gossip.core.DropReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class LzwTest {

    private static final HexFormat HEX = HexFormat.of();

    // ---------------------------------------------------------------------------------------
    // Real serf 0.9.4 traffic (docs/protocol.md §3.4, §6.1): decompress, then re-compress
    // and demand Go's exact bytes back.
    // ---------------------------------------------------------------------------------------

    @Test
    void capturedPlainPacketsDecompressAndRecompressToTheSameBytes() throws Exception {
        List<byte[]> bufs = new ArrayList<>();
        for (String hex : hexFields("plain.json")) {
            collectCompressedBufs(HEX.parseHex(hex), bufs);
        }
        // 7 CRC-framed + 1 bare compressed datagram, plus both push/pull stream directions.
        assertThat(bufs).hasSize(10);
        checkCapturedBufs(bufs);
    }

    @Test
    void capturedEncryptedPacketsDecompressAndRecompressToTheSameBytes() throws Exception {
        // The throwaway key of the capture (the "note" field of serf-captures/encrypted.json); AES-GCM layout from §3.5 / §6.4.
        byte[] key = Base64.getDecoder().decode("Q8v625bjjb/qpvT+vsh/znm6HxWrsn6vLv3IVYJn2Ks=");
        List<byte[]> bufs = new ArrayList<>();
        for (String hex : hexFields("encrypted.json")) {
            byte[] raw = HEX.parseHex(hex);
            byte[] plain;
            if (raw[0] == 10) { // TCP: [0x0a][u32 len][ciphertext], AAD = those 5 bytes
                int len = ByteBuffer.wrap(raw, 1, 4).getInt();
                assertThat(raw.length).isEqualTo(5 + len);
                plain = decrypt(key, Arrays.copyOfRange(raw, 5, raw.length), Arrays.copyOf(raw, 5));
            } else { // UDP: ciphertext only, empty AAD
                plain = decrypt(key, raw, new byte[0]);
            }
            collectCompressedBufs(plain, bufs);
        }
        assertThat(bufs).hasSize(3);
        checkCapturedBufs(bufs);
    }

    private static void checkCapturedBufs(List<byte[]> bufs) throws MalformedMessageException {
        for (byte[] buf : bufs) {
            // Go's writer starts with a clear code: 256 in 9 LSB-first bits.
            assertThat(buf[0]).isEqualTo((byte) 0);
            assertThat(buf[1] & 1).isEqualTo(1);

            byte[] message = Lzw.decompress(buf, 1 << 20);
            assertWellFormedMessage(message);
            assertThat(HEX.formatHex(Lzw.compress(message)))
                    .as("re-compressed bytes must equal what Go sent")
                    .isEqualTo(HEX.formatHex(buf));
        }
    }

    /** The decompressed bytes are a whole memberlist message (§3.1), compounds included (§3.3). */
    private static void assertWellFormedMessage(byte[] message) {
        assertThat(message).isNotEmpty();
        int type = message[0] & 0xff;
        assertThat(type).isIn(0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 13);
        if (type == 7) {
            int count = message[1] & 0xff;
            int total = 2 + 2 * count;
            for (int i = 0; i < count; i++) {
                total += ((message[2 + 2 * i] & 0xff) << 8) | (message[3 + 2 * i] & 0xff);
            }
            assertThat(total).as("compound part lengths add up").isEqualTo(message.length);
        }
        if (type == 2 || type == 6) {
            assertThat(message[1] & 0xf0).as("msgpack map header").isEqualTo(0x80);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Encoder vs. Go 1.19 compress/lzw (NewWriter(buf, LSB, 8); one Write; Close), recorded once
    // with the real Go library. Inputs come from lcg() so Go can regenerate them.
    // ---------------------------------------------------------------------------------------

    @Test
    void smallInputsMatchGoExactly() {
        assertCompressesTo("", "000302"); // Close alone writes clear + EOF
        assertCompressesTo("a", "00c30404");
        assertCompressesTo("ab", "00c3880908");
        assertCompressesTo("aaaaaaaaaaaaaaaaaaaa", "00c3081c48b060c180"); // code == hi cases
        assertCompressesTo("TOBEORNOTTOBEORTOBEORNOT", "00a93c1152e48914274fa80824687061c183090302");
    }

    private static void assertCompressesTo(String text, String goHex) {
        byte[] input = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(Lzw.compress(input))).as(text).isEqualTo(goHex);
    }

    /** {length, alphabet, seed, Go output length, SHA-256 of Go output}. */
    private static final Object[][] GO_GOLDEN = {
        {100, 256, 1, 115, "ef728b283460558b455a842719c3feaa3ce07ad560a56d05bc1d6257117fbad4"},
        {5000, 256, 2, 6730, "8fe3b2e76f26e2caf6ef537d848f9322debdc92f5905d09dbd9ed9c9ac7e227d"},
        {5000, 3, 3, 1311, "924787bfeddbf6fdf9f804721166e4616decb3287e7377cb553afd7d39212df1"},
        {40000, 2, 4, 6249, "8632030b41963b235f083f06d998060ace13668067b01327510442729bbd3d1a"},
        // ~11 table resets:
        {100000, 16, 5, 62706, "7435c528e12feba9b2ae1b3f8c88d1607f5b8ff3bdb17c68e4ae27784af412a4"},
        {1 << 20, 1, 6, 1866, "142dea43e66e6da0eae56fc06c0aa26831b3256bd6f62263027c459100c56311"},
        {300000, 64, 7, 312834, "0ceed6e75b4a5a3200c3b9c2d1eb57a43c3edd2f3fc3a7f5db2d987e5887e614"},
        // Lengths where the code flushed by Close() uses the last free code, so Go writes a
        // clear code between it and EOF (and EOF goes out at 9 bits):
        {3944, 256, 8, 5410, "b07115748c4f55303a9ef64f32d9197543a23748b718bfaecded2d4ef9c5f0a0"},
        {7897, 256, 8, 10816, "967a8d31a17dc7a91aa837867f791e315fff2296bbd181b236f4c9bf49a0dc81"},
        {12825, 7, 8, 5410, "53df4a73a28f9122938e7da1350373b819eae2c326e4084cfc7cd4e9ae9e3250"},
    };

    @Test
    void largerInputsMatchGoDigests() throws Exception {
        for (Object[] g : GO_GOLDEN) {
            byte[] input = lcg((int) g[0], (int) g[1], (int) g[2]);
            byte[] out = Lzw.compress(input);
            String what = Arrays.toString(g);
            assertThat(out.length).as(what).isEqualTo((int) g[3]);
            assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(out)))
                    .as(what)
                    .isEqualTo(g[4]);
            assertThat(Lzw.decompress(out, input.length)).as(what).isEqualTo(input);
        }
    }

    /** x = x * 1103515245 + 12345 (mod 2^32), byte = (x >>> 16) % alphabet: easy to redo in Go. */
    static byte[] lcg(int n, int alphabet, int seed) {
        byte[] b = new byte[n];
        int x = seed;
        for (int i = 0; i < n; i++) {
            x = x * 1103515245 + 12345;
            b[i] = (byte) ((x >>> 16) % alphabet);
        }
        return b;
    }

    // ---------------------------------------------------------------------------------------
    // Round trips
    // ---------------------------------------------------------------------------------------

    @Test
    void roundTripsManySizesAndShapes() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20240611L);
        List<byte[]> inputs = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 3, 255, 256, 257, 511, 512, 1400, 4095, 4096, 4097, 65536}) {
            inputs.add(randomBytes(rnd, n, 256));
            inputs.add(randomBytes(rnd, n, 2));
        }
        byte[] repetitive = new byte[1 << 20];
        for (int i = 0; i < repetitive.length; i++) {
            repetitive[i] = (byte) "gossip-".charAt(i % 7);
        }
        inputs.add(repetitive);
        inputs.add(new byte[1 << 20]);
        inputs.add(randomBytes(rnd, 100 * 1024, 256));
        inputs.add(randomBytes(rnd, 200_000, 4)); // dozens of table resets
        for (int i = 0; i < 200; i++) {
            inputs.add(randomBytes(rnd, rnd.nextInt(20_000), 1 + rnd.nextInt(256)));
        }

        for (byte[] input : inputs) {
            byte[] compressed = Lzw.compress(input);
            assertThat(Lzw.decompress(compressed, input.length))
                    .as("round trip of %d bytes", input.length)
                    .isEqualTo(input);
        }
        assertThat(Lzw.compress(repetitive).length).isLessThan(repetitive.length / 100);
    }

    static byte[] randomBytes(SplittableRandom rnd, int n, int alphabet) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(alphabet);
        }
        return b;
    }

    // ---------------------------------------------------------------------------------------
    // Decoder: what Go's reader accepts and rejects (reader.go, read via io.Copy)
    // ---------------------------------------------------------------------------------------

    @Test
    void leadingClearCodeIsOptional() throws Exception {
        assertThat(Lzw.decompress(pack('h', 'i', 257), 10)).isEqualTo(bytes("hi"));
        assertThat(Lzw.decompress(pack(256, 256, 'h', 256, 'i', 257), 10)).isEqualTo(bytes("hi"));
    }

    @Test
    void bytesAfterTheEofCodeAreIgnored() throws Exception {
        byte[] valid = Lzw.compress(bytes("hello hello hello"));
        byte[] withTail = Arrays.copyOf(valid, valid.length + 5);
        Arrays.fill(withTail, valid.length, withTail.length, (byte) 0xff);
        assertThat(Lzw.decompress(withTail, 100)).isEqualTo(bytes("hello hello hello"));
    }

    @Test
    void missingEofIsRejected() {
        byte[] valid = Lzw.compress(bytes("hello hello hello"));
        for (int cut = 0; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertMalformed(truncated, 100, "input ends before the EOF code");
        }
        assertMalformed(pack(256, 'a'), 100, "input ends before the EOF code");
    }

    @Test
    void codesBeyondTheNextFreeCodeAreRejected() {
        assertMalformed(pack(258, 257), 100, "invalid code 258");
        assertMalformed(pack(256, 'a', 259, 257), 100, "invalid code 259");
        // 258 right after a clear is not yet "being defined": there is no previous code.
        assertMalformed(pack('a', 'b', 256, 258, 257), 100, "invalid code 258");
    }

    @Test
    void codeBeingDefinedExpandsToPreviousPlusItsFirstByte() throws Exception {
        // 'a', then 258 = "a" + "a", then 259 = "aa" + "a"
        assertThat(Lzw.decompress(pack('a', 258, 259, 257), 10)).isEqualTo(bytes("aaaaaa"));
    }

    @Test
    void fullTableIsFrozenNotAnError() throws Exception {
        // A non-Go encoder may keep going without a clear once all 4096 codes are used; Go's
        // reader then stops adding entries but still decodes. Code k (1-based) defines entry
        // 256 + k from literals k-1 and k, so 4095 = lit(3838) lit(3839), 300 = lit(43) lit(44).
        int literals = 5000;
        int[] codes = new int[literals + 3];
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int k = 1; k <= literals; k++) {
            codes[k - 1] = k % 251;
            expected.write(k % 251);
        }
        codes[literals] = 4095;
        expected.write(3838 % 251);
        expected.write(3839 % 251);
        codes[literals + 1] = 300;
        expected.write(43);
        expected.write(44);
        codes[literals + 2] = 257;
        assertThat(Lzw.decompress(pack(codes), 10_000)).isEqualTo(expected.toByteArray());
    }

    @Test
    void outputLimitIsEnforcedExactly() throws Exception {
        byte[] input = randomBytes(new SplittableRandom(1), 10_000, 3);
        byte[] compressed = Lzw.compress(input);
        assertThat(Lzw.decompress(compressed, input.length)).isEqualTo(input);
        assertMalformed(compressed, input.length - 1, "exceeds limit");
        assertMalformed(compressed, 0, "exceeds limit");
        assertThat(Lzw.decompress(Lzw.compress(new byte[0]), 0)).isEmpty();

        // A tiny bomb: 1 MiB of zeros is under 2 KiB compressed; rejected without inflating it.
        byte[] bomb = Lzw.compress(new byte[1 << 20]);
        assertThat(bomb.length).isLessThan(2048);
        assertMalformed(bomb, 65_536, "exceeds limit");
    }

    private static void assertMalformed(byte[] input, int limit, String detail) {
        assertThatThrownBy(() -> Lzw.decompress(input, limit))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((MalformedMessageException) e).reason()).isEqualTo(DropReason.LZW));
    }

    /**
     * Packs codes LSB-first, widening as the spec says (§3.4): the width grows when the next code
     * to assign reaches 1 << width, stops at 12 bits, and a clear code resets it to 9.
     */
    static byte[] pack(int... codes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int width = 9;
        int next = 257; // the code the next data code implies
        long bits = 0;
        int nBits = 0;
        for (int code : codes) {
            bits |= (long) code << nBits;
            nBits += width;
            while (nBits >= 8) {
                out.write((int) bits);
                bits >>>= 8;
                nBits -= 8;
            }
            if (code == 256) {
                width = 9;
                next = 257;
            } else if (next < 4095) {
                next++;
                if (next == 1 << width) {
                    width++;
                }
            }
        }
        if (nBits > 0) {
            out.write((int) bits);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------------------------------
    // Capture parsing: just enough framing (§3.1-§3.4) and msgpack to reach the Buf bytes.
    // ---------------------------------------------------------------------------------------

    /** All "hex" string values of a capture file (no JSON library on the test classpath). */
    static List<String> hexFields(String fileName) throws IOException {
        String json;
        try (InputStream in = LzwTest.class.getResourceAsStream("/serf-captures/" + fileName)) {
            assertThat(in).as(fileName).isNotNull();
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"hex\"\\s*:\\s*\"([0-9a-fA-F]*)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Walks CRC (12), compound (7) and compress (9) framing and collects every LZW Buf. */
    static void collectCompressedBufs(byte[] msg, List<byte[]> out) {
        if (msg.length == 0) {
            return;
        }
        switch (msg[0]) {
            case 12 -> collectCompressedBufs(Arrays.copyOfRange(msg, 5, msg.length), out);
            case 9 -> out.add(compressBuf(msg));
            case 7 -> {
                int count = msg[1] & 0xff;
                int at = 2 + 2 * count;
                for (int i = 0; i < count; i++) {
                    int len = ((msg[2 + 2 * i] & 0xff) << 8) | (msg[3 + 2 * i] & 0xff);
                    collectCompressedBufs(Arrays.copyOfRange(msg, at, at + len), out);
                    at += len;
                }
            }
            default -> { }
        }
    }

    /** [9] + msgpack {"Algo": 0, "Buf": raw}; returns Buf. */
    static byte[] compressBuf(byte[] msg) {
        ByteBuffer b = ByteBuffer.wrap(msg, 1, msg.length - 1);
        assertThat(b.get() & 0xff).as("fixmap of 2").isEqualTo(0x82);
        assertThat(readStr(b)).isEqualTo(bytes("Algo"));
        assertThat(b.get()).as("Algo = 0 (LZW)").isEqualTo((byte) 0);
        assertThat(readStr(b)).isEqualTo(bytes("Buf"));
        byte[] buf = readStr(b);
        assertThat(b.remaining()).isZero();
        return buf;
    }

    /** A msgpack str or bin (legacy go-msgpack writes []byte as raw/str). */
    private static byte[] readStr(ByteBuffer b) {
        int tag = b.get() & 0xff;
        int len;
        if ((tag & 0xe0) == 0xa0) {
            len = tag & 0x1f;
        } else if (tag == 0xd9 || tag == 0xc4) {
            len = b.get() & 0xff;
        } else if (tag == 0xda || tag == 0xc5) {
            len = b.getShort() & 0xffff;
        } else if (tag == 0xdb || tag == 0xc6) {
            len = b.getInt();
        } else {
            throw new AssertionError("not a msgpack str/bin: " + Integer.toHexString(tag));
        }
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    /** Version-1 memberlist ciphertext: [1][12-byte nonce][GCM ciphertext + tag] (§3.5). */
    private static byte[] decrypt(byte[] key, byte[] ct, byte[] aad) throws Exception {
        assertThat(ct[0]).as("encryption version").isEqualTo((byte) 1);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(128, ct, 1, 12));
        gcm.updateAAD(aad);
        return gcm.doFinal(ct, 13, ct.length - 13);
    }
}
