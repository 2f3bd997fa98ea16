package dev.gossip.core.hostile;

import dev.gossip.core.GossipNode;
import dev.gossip.core.loopback.LoopbackCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Attack 2: a stranger opens idle TCP connections, as many as the victim accepts, holds them and
 * reopens each as soon as the victim closes it. Meanwhile a new node tries to join through the
 * victim (a push/pull, as every join and anti-entropy round is).
 */
class ConnectionExhaustionHostileTest {

    /** Twice the victim's limit on open inbound streams (128). */
    private static final int CONNECTIONS = 256;
    /** Past the victim's 10 s stream deadline, so that every held connection is closed and reopened once. */
    private static final Duration DURATION = Duration.ofSeconds(12);
    /** What the stranger gets before the newcomer tries: time to fill every slot. */
    private static final long FILL_MILLIS = 1_000;
    /** A refused connection is tried again after this long; an expired one at once. */
    private static final long RETRY_REFUSED_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** A connection still open after this long is held, not refused. */
    private static final long HELD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long JOIN_RETRY_MILLIS = 200;
    /**
     * A join over loopback takes tens of milliseconds (README: 212 ms until all of 10 nodes know);
     * a second is ample even on a busy machine.
     */
    private static final Duration JOIN_BOUND = Duration.ofSeconds(1);

    @AutoClose
    private final Arena arena = new Arena();

    /** What the stranger achieved, written by its thread, read after it ended. */
    private static final class Hold {
        int peakHeld;
        long opened;
        long refused;
        long expired;
    }

    @Test
    void aNewNodeJoinsWhileAStrangerHoldsEveryConnection() throws Exception {
        GossipNode newcomer = arena.newcomer("newcomer");
        Hold hold = new Hold();
        long[] joinMillis = {-1};
        int[] attempts = {0};
        Result r = arena.attack("2", "idle TCP connections held", DURATION, (attacker, deadline) -> {
            attacker.spawn("hold", () -> hold(attacker, arena.victimAddress(), deadline, hold));
            TimeUnit.MILLISECONDS.sleep(FILL_MILLIS);
            long t0 = System.nanoTime();
            while (Attacker.before(deadline)) {
                attempts[0]++;
                if (LoopbackCluster.get(newcomer.joinAsync(List.of(LoopbackCluster.seed(arena.victim)))) > 0) {
                    joinMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(JOIN_RETRY_MILLIS);
            }
        });
        r.note("up to %d held at once (%d opened, %d refused at once, %d closed by the victim's deadline)",
                hold.peakHeld, hold.opened, hold.refused, hold.expired)
                .note(joinMillis[0] < 0 ? "newcomer never joined (%d attempts)" : "newcomer joined in %2$d ms (%1$d attempts)",
                        attempts[0], joinMillis[0]).report();
        SoftAssertions softly = r.commonTargets();
        softly.assertThat(joinMillis[0]).as("%s: ms until a new node joined through the victim (-1: never, in %d tries)",
                r.attack, attempts[0]).isBetween(0L, JOIN_BOUND.toMillis());
        softly.assertAll();
    }

    /** Keeps up to {@value #CONNECTIONS} idle connections open, reopening each as the victim closes it. */
    private static void hold(Attacker attacker, InetSocketAddress victim, long deadline, Hold hold) throws IOException {
        SocketChannel[] slots = new SocketChannel[CONNECTIONS];
        long[] openedAt = new long[CONNECTIONS];
        long[] retryAt = new long[CONNECTIONS];
        ByteBuffer sink = ByteBuffer.allocate(1024);
        while (Attacker.before(deadline) && attacker.running()) {
            int held = 0;
            for (int i = 0; i < CONNECTIONS; i++) {
                long now = System.nanoTime();
                if (slots[i] == null) {
                    if (now - retryAt[i] >= 0) {
                        try {
                            slots[i] = attacker.connect(victim);
                            slots[i].configureBlocking(false);
                            openedAt[i] = now;
                            hold.opened++;
                        } catch (IOException e) {
                            slots[i] = null;
                            retryAt[i] = now + RETRY_REFUSED_NANOS;
                        }
                    }
                    continue;
                }
                int n;
                try {
                    sink.clear();
                    n = slots[i].read(sink);
                } catch (IOException e) {
                    n = -1;
                }
                if (n >= 0) {
                    held += now - openedAt[i] >= HELD_NANOS ? 1 : 0;
                    continue;
                }
                attacker.release(slots[i]);
                slots[i] = null;
                if (now - openedAt[i] < HELD_NANOS) {
                    hold.refused++;
                    retryAt[i] = now + RETRY_REFUSED_NANOS;
                } else {
                    hold.expired++;
                    retryAt[i] = now;
                }
            }
            hold.peakHeld = Math.max(hold.peakHeld, held);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
