package dev.gossip.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gossip.core.transport.StreamFramer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream that arrives in small pieces must cost the framer work linear in its length: it is
 * asked again after every read, on the event loop that also reads UDP. Work is counted as bytes
 * walked (deterministic); CPU time is only printed.
 */
class StreamFramingLinearityTest {

    private static final int LIMIT = 8 * 1024 * 1024;
    private static final int[] PIECES = {65_536, 1024, 16, 1};

    @Test
    void bytesWalkedStayLinearWhateverThePieceSize() throws Exception {
        byte[] stream = largePushPull();
        assertThat(stream.length).isBetween(4 << 20, LIMIT);
        StreamFraming framing = new StreamFraming(LIMIT);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<String> figures = new ArrayList<>();
        for (int piece : PIECES) {
            StreamCursor cursor = (StreamCursor) framing.newCursor();
            long cpuStart = cpu.getCurrentThreadCpuTime();
            int frame = StreamFramer.NEED_MORE;
            int filled = 0;
            while (frame == StreamFramer.NEED_MORE && filled < stream.length) {
                filled = Math.min(stream.length, filled + piece);
                frame = cursor.frameLength(stream, 0, filled);
                // Stop a quadratic framer early instead of letting it run for hours.
                if (cursor.bytesWalked() > 2L * stream.length) {
                    fail("%d-byte pieces: %,d bytes walked after %,d of %,d bytes arrived",
                            piece, cursor.bytesWalked(), filled, stream.length);
                }
            }
            double cpuMs = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e6;
            assertThat(frame).as("%d-byte pieces", piece).isEqualTo(stream.length);
            figures.add(String.format("%d B pieces: %.2f walked/byte, %.1f ms CPU/MB", piece,
                    (double) cursor.bytesWalked() / stream.length,
                    cpuMs / (stream.length / (1024.0 * 1024.0))));
        }
        System.out.printf("StreamFramingLinearityTest: %,d-byte push/pull; %s%n", stream.length,
                String.join("; ", figures));
    }

    /** About 6.6 MB: 20,000 nodes with 200-byte metadata, then 1 MiB of user state. */
    private static byte[] largePushPull() {
        List<PushNodeState> nodes = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            nodes.add(new PushNodeState("node-" + i, new byte[] {10, 0, (byte) (i >> 8), (byte) i},
                    7946, new byte[200], i, 0, new byte[] {1, 5, 2, 2, 5, 4}));
        }
        return new PushPull(false, nodes, new byte[1 << 20]).encode();
    }
}
