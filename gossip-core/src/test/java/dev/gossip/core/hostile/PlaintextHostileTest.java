package dev.gossip.core.hostile;

import dev.gossip.core.DropReason;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Attack 6: plaintext into an encrypted cluster. A stranger without the key sends push/pulls
 * (compressed, as serf sends them) over TCP and alives, pings and compounds over UDP; the victim
 * must refuse all of it, cheaply.
 */
class PlaintextHostileTest {

    private static final Duration DURATION = Duration.ofSeconds(6);
    private static final int STREAMS = 3_000;
    private static final double STREAMS_PER_SECOND = 500;
    private static final int PACKETS = 30_000;
    private static final double PACKETS_PER_SECOND = 5_000;
    private static final int GHOSTS = 50;

    @AutoClose
    private final Arena arena = new Arena(Keyring.of(randomKey()));

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void plaintextIsRefused() throws Exception {
        int before = arena.victimMembers();
        byte[] pushPull = Packets.compress(Forgery.pushPull(GHOSTS));
        LongAdder streams = new LongAdder();
        Result r = arena.attack("6", "plaintext into an encrypted cluster", DURATION, (attacker, deadline) -> {
            List<byte[]> packets = packets(attacker.udpAddress());
            attacker.repeat("plain-streams", STREAMS, STREAMS_PER_SECOND, deadline, i -> {
                attacker.exchange(arena.victimAddress(), pushPull, deadline);
                streams.increment();
            });
            attacker.repeat("plain-packets", PACKETS, PACKETS_PER_SECOND, deadline,
                    i -> attacker.send(arena.victimAddress(), packets.get((int) (i % packets.size()))));
        });
        long decrypt = arena.victim.stats().drops(DropReason.DECRYPT);
        r.note("%,d push/pulls of %d ghosts, %,d datagrams; victim drops decrypt %,d", streams.sum(), GHOSTS,
                PACKETS, decrypt).note("victim members %d → %d", before, arena.victimMembers()).report();
        SoftAssertions softly = r.commonTargets();
        softly.assertThat(decrypt).as("%s: datagrams the victim refused (the attack reached it)", r.attack).isPositive();
        softly.assertThat(arena.victimMembers()).as("%s: victim members (no ghost admitted)", r.attack).isEqualTo(before);
        softly.assertAll();
    }

    /** Plaintext datagrams: an alive, a ping of the victim, a compound of alives, the same compressed. */
    private List<byte[]> packets(InetSocketAddress home) {
        List<byte[]> alives = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alives.add(Forgery.alive("plain-ghost-" + i, home, 1));
        }
        byte[] compound = Packets.compound(alives);
        return List.of(alives.get(0),
                new Ping(1, arena.victim.name(), home.getAddress().getAddress(), home.getPort(), "plain").encode(),
                compound, Packets.compress(compound));
    }
}
