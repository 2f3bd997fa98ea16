package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Network bytes reach {@link Lzw#decompress} unchecked (§3.2 receive pipeline), so on any input
 * it may only succeed within the limit or throw {@link MalformedMessageException}.
 */
class LzwFuzzTest {

    private static final int CASES = 100_000;
    private static final int[] LIMITS = {0, 1, 100, 1400, 65_536, 1 << 20};

    @Test
    void decompressOnlySucceedsWithinLimitOrThrowsMalformed() {
        SplittableRandom rnd = new SplittableRandom(0x5EEDL);

        // Valid streams to mutate: mostly packet-sized, a few long enough for table resets.
        List<byte[]> plain = new ArrayList<>();
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = i % 10 == 0 ? rnd.nextInt(30_000) : rnd.nextInt(1500);
            byte[] input = LzwTest.randomBytes(rnd, n, 1 + rnd.nextInt(i % 2 == 0 ? 8 : 256));
            plain.add(input);
            valid.add(Lzw.compress(input));
        }

        int succeeded = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            int pick = rnd.nextInt(valid.size());
            byte[] input = mutate(rnd, valid.get(pick));
            int limit = LIMITS[rnd.nextInt(LIMITS.length)];
            byte[] out;
            try {
                out = Lzw.decompress(input, limit);
            } catch (MalformedMessageException expected) {
                rejected++;
                continue;
            } catch (RuntimeException | Error t) {
                throw new AssertionError(
                        "case " + i + " threw " + t + " for input " + Arrays.toString(input), t);
            }
            succeeded++;
            // Plain checks in the hot loop: AssertJ per case would dominate the run time.
            if (out.length > limit) {
                fail("case " + i + ": " + out.length + " bytes out, limit " + limit);
            }
            if (input == valid.get(pick) && !Arrays.equals(out, plain.get(pick))) {
                fail("case " + i + ": unmutated stream did not round-trip");
            }
        }
        // Both outcomes must be well represented, or the mutations are not probing anything.
        assertThat(succeeded).isGreaterThan(CASES / 20);
        assertThat(rejected).isGreaterThan(CASES / 5);
    }

    /** One of several corruptions, or the valid stream itself (returned as the same array). */
    private static byte[] mutate(SplittableRandom rnd, byte[] valid) {
        switch (rnd.nextInt(8)) {
            case 0:
                return valid;
            case 1: { // flip a few bits
                byte[] b = valid.clone();
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 2: { // overwrite bytes
                byte[] b = valid.clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                return b;
            }
            case 3: // truncate
                return Arrays.copyOf(valid, rnd.nextInt(valid.length + 1));
            case 4: { // append garbage
                byte[] b = Arrays.copyOf(valid, valid.length + 1 + rnd.nextInt(64));
                for (int k = valid.length; k < b.length; k++) {
                    b[k] = (byte) rnd.nextInt(256);
                }
                return b;
            }
            case 5: { // splice a random range of a stream into a random position
                byte[] b = valid.clone();
                int from = rnd.nextInt(b.length);
                int to = rnd.nextInt(b.length);
                int len = rnd.nextInt(Math.min(b.length - from, b.length - to) + 1);
                System.arraycopy(valid, from, b, to, len);
                return b;
            }
            case 6: // pure noise
                return LzwTest.randomBytes(rnd, rnd.nextInt(3000), 256);
            default: { // mostly zero bits: long runs of small literals and early codes
                byte[] b = new byte[rnd.nextInt(6000)];
                for (int k = 0; k < b.length; k++) {
                    b[k] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256) : 0;
                }
                return b;
            }
        }
    }
}
