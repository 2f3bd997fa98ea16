package dev.gossip.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Damaged snapshot files: whatever bytes the file holds, replay reads every line as a record or a
 * counted skip and never throws, so a bad snapshot cannot stop a node from starting. Seeded (as
 * the other fuzz tests here, jqwik is not in the offline repository), so a failure reproduces;
 * the failing input is printed in hex.
 */
class SnapshotReplayFuzzTest {

    private static final int CASES = 20_000;
    private static final long SEED = 0x5a9_5407L;

    private static final List<String> GOOD = List.of("alive: alpha 127.0.0.1:7946", "alive: a b [::1]:7947",
            "not-alive: alpha", "clock: 12", "event-clock: 3", "query-clock: 18446744073709551615", "leave",
            "coordinate: {}", "# comment");

    private final SplittableRandom random = new SplittableRandom(SEED);

    @Test
    void anyBytesReplayToRecordsOrCountedSkipsNeverAnException() {
        int skippedFiles = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = switch (i % 3) {
                case 0 -> mutate(goodFile());
                case 1 -> goodFile();
                default -> randomBytes();
            };
            int newlines = 0;
            for (byte b : input) {
                newlines += b == '\n' ? 1 : 0;
            }
            try {
                SnapshotReplay r = SnapshotReplay.read(new ByteArrayInputStream(input), random.nextBoolean());
                assertThat(r.skipped()).as("at most one skip per line").isLessThanOrEqualTo(newlines);
                assertThat(r.alive().size()).isLessThanOrEqualTo(newlines);
                for (String addr : r.alive().values()) {
                    SnapshotRecord.socketAddress(addr); // null or an address, never an exception
                }
                skippedFiles += r.skipped() > 0 ? 1 : 0;
            } catch (Exception | AssertionError e) {
                fail("case " + i + " threw on " + HexFormat.of().formatHex(input), e);
            }
        }
        assertThat(skippedFiles).as("the damage was seen and counted").isGreaterThan(CASES / 4);
    }

    @Test
    void anOverlongLineIsOneSkipAndTheRestStillReads() throws Exception {
        String text = "alive: a 10.0.0.1:7946\n" + "x".repeat(SnapshotReplay.MAX_LINE * 2) + "\nclock: 5\n";
        SnapshotReplay r = SnapshotReplay.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), false);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.alive()).containsKey("a");
        assertThat(r.memberClock()).isEqualTo(5);
    }

    private byte[] goodFile() {
        StringBuilder sb = new StringBuilder();
        int lines = random.nextInt(12);
        for (int i = 0; i < lines; i++) {
            sb.append(GOOD.get(random.nextInt(GOOD.size()))).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] mutate(byte[] in) {
        byte[] out = in.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            out[at] = switch (random.nextInt(4)) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> (byte) ' ';
                case 2 -> (byte) ':';
                default -> (byte) 0xff; // not UTF-8
            };
        }
        return out;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[random.nextInt(200)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextInt(8) == 0 ? (byte) '\n' : (byte) random.nextInt(256);
        }
        return b;
    }
}
