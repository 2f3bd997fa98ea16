package dev.gossip.core.hostile;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.wire.StreamFraming;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attack 1: push/pull-looking streams trickled in small writes over {@value #CONNECTIONS}
 * connections, each reopened as soon as it is closed (by the victim, or by the attacker once its
 * {@value #STREAM_BYTES}-byte stream, which announces far more nodes than it carries, is sent).
 * Before the framing fix, 128 such connections cost the victim 66 CPU s in 40 s. The attacker
 * keeps to the victim's per-source limit (8 streams): connections beyond it are refused on
 * arrival, and their churn is attack 2's subject, not the cost of reading a trickle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrickleHostileTest {

    private static final int CONNECTIONS = 8;
    private static final int STREAM_BYTES = 64 * 1024;
    private static final Duration DURATION = Duration.ofSeconds(5);
    /** A refused or reset connection is reopened after this long, not in a busy loop. */
    private static final long REOPEN_AFTER_NANOS = 20_000_000;
    private static final Map<Integer, String> ROW = Map.of(1, "1a", 8, "1b", 64, "1c");
    /**
     * Victim CPU ms per attacker MB, all of it (socket reads, the kernel's work per segment that
     * our reading thread pays on loopback, framing): about twice the most measured with the
     * trickle throttle on the 2-core machine (1 B: 203-394, 8 B: 70-97, 64 B: 23-32; before the
     * throttle 5,211, 629, 82; 64 B reached 50 with two other simulations running beside the
     * suite). The 20 ms/MB target is on framing, asserted separately.
     */
    private static final Map<Integer, Double> CPU_MS_PER_MB_BOUND = Map.of(1, 800.0, 8, 200.0, 64, 64.0);

    @AutoClose
    private final Arena arena = new Arena();

    @ParameterizedTest(name = "{0}-byte writes")
    @ValueSource(ints = {1, 8, 64})
    void trickledStreamsCostLinearCpu(int piece) throws Exception {
        byte[] stream = Forgery.unfinishedPushPull(STREAM_BYTES);
        long[] reopened = new long[1];
        Result r = arena.attack(ROW.get(piece), "trickled push/pulls, " + piece + " B writes", DURATION,
                (attacker, deadline) -> attacker.spawn("trickle", () ->
                        reopened[0] = trickle(attacker, arena.victimAddress(), stream, piece, deadline)));
        double framingMsPerMb = framingCpuMsPerMb(stream, piece, r.attackerBytes);
        r.note("%d connections, %d reopened", CONNECTIONS, reopened[0])
                .note("framing alone %.1f ms CPU/MB (the same bytes in %d-byte pieces)", framingMsPerMb, piece)
                .report();
        SoftAssertions softly = r.commonTargets();
        softly.assertThat(framingMsPerMb).as("%s: framing CPU ms per MB (the issue's target)", r.attack)
                .isLessThanOrEqualTo(Result.MAX_STREAM_CPU_MS_PER_MB);
        softly.assertThat(r.victimCpuMsPerMb()).as("%s: victim CPU ms per attacker MB", r.attack)
                .isLessThanOrEqualTo(CPU_MS_PER_MB_BOUND.get(piece));
        softly.assertAll();
    }

    /**
     * CPU ms per MB the victim's framer spends on {@code bytes} of these streams arriving in
     * {@code piece}-byte reads: an upper bound of its share of the victim's CPU, since the trickle
     * throttle makes real reads larger. Replayed on this thread, where thread CPU time isolates it
     * from the socket work the victim's total includes. The best of a few replays after one to warm
     * up, so that neither the JIT's first, interpreted pass nor a busy neighbour core is counted.
     */
    private static double framingCpuMsPerMb(byte[] stream, int piece, long bytes) throws Exception {
        replayFraming(stream, piece, bytes);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, replayFraming(stream, piece, bytes));
        }
        return best;
    }

    private static double replayFraming(byte[] stream, int piece, long bytes) throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        StreamFraming framing = new StreamFraming(20 * 1024 * 1024 + 5); // the victim's limit
        long fed = 0;
        long start = cpu.getCurrentThreadCpuTime();
        while (fed < bytes) {
            StreamFramer.Cursor cursor = framing.newCursor();
            for (int filled = piece; filled < stream.length; filled += piece) {
                if (cursor.frameLength(stream, 0, filled) != StreamFramer.NEED_MORE) {
                    throw new AssertionError("the trickled stream framed as complete at " + filled + " bytes");
                }
            }
            fed += stream.length;
        }
        return (cpu.getCurrentThreadCpuTime() - start) / 1e6 / (fed / (1024.0 * 1024.0));
    }

    /**
     * Round-robin over the connections, one {@code piece} each per turn, without waiting for a
     * slow reader (non-blocking writes). Returns how many connections were reopened.
     */
    private static long trickle(Attacker attacker, InetSocketAddress victim, byte[] stream, int piece,
                                long deadline) {
        SocketChannel[] conns = new SocketChannel[CONNECTIONS];
        int[] sent = new int[CONNECTIONS];
        long[] reopenAt = new long[CONNECTIONS];
        long reopened = -CONNECTIONS;
        while (Attacker.before(deadline) && attacker.running()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                if (conns[i] == null) {
                    if (System.nanoTime() - reopenAt[i] < 0) {
                        continue;
                    }
                    try {
                        conns[i] = attacker.connect(victim);
                        conns[i].configureBlocking(false);
                        sent[i] = 0;
                        reopened++;
                    } catch (IOException e) {
                        conns[i] = null;
                        reopenAt[i] = System.nanoTime() + REOPEN_AFTER_NANOS;
                        continue;
                    }
                }
                try {
                    sent[i] += attacker.write(conns[i], ByteBuffer.wrap(stream, sent[i], Math.min(piece, stream.length - sent[i])));
                    if (sent[i] == stream.length) {
                        attacker.release(conns[i]);
                        conns[i] = null;
                    }
                } catch (IOException e) { // closed by the victim
                    attacker.release(conns[i]);
                    conns[i] = null;
                    reopenAt[i] = System.nanoTime() + REOPEN_AFTER_NANOS;
                }
            }
        }
        return Math.max(0, reopened);
    }
}
