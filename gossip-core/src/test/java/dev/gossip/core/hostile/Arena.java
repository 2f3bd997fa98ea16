package dev.gossip.core.hostile;

import dev.gossip.core.GossipConfig;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipNode;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Profile;
import dev.gossip.core.Timings;
import dev.gossip.core.loopback.LoopbackCluster;
import dev.gossip.core.security.Keyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One attack's stage: a victim and {@value #PEERS} peers on 127.0.0.1 with LAN timings (encrypted
 * when given a keyring), each peer counting the times it suspects the victim. {@link #attack} runs
 * one bounded attack and measures it from outside.
 */
final class Arena implements AutoCloseable {

    static final int PEERS = 3;
    /** How long peers get after an attack to show the victim alive and unsuspected again. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    /** Heap growth small enough to stop taking readings: a third of {@link Result#HEAP_BOUND_MB}. */
    private static final long HEAP_SLACK_BYTES = (long) (Result.HEAP_BOUND_MB * 1024 * 1024 / 3);

    private final LoopbackCluster cluster = new LoopbackCluster(Profile.LAN, false);
    private final Keyring keyring;
    private final Timings timings;
    private final AtomicInteger suspicions = new AtomicInteger();
    final GossipNode victim;
    final List<GossipNode> peers = new ArrayList<>();

    /** What the attacker does; it must be done by {@code deadlineNanos} (threads it spawns too). */
    @FunctionalInterface
    interface Attack {
        void run(Attacker attacker, long deadlineNanos) throws Exception;
    }

    Arena(Keyring keyring) {
        this(keyring, Timings.lan());
    }

    /** @param timings every node's, e.g. LAN with a lower maxMembers */
    Arena(Keyring keyring, Timings timings) {
        this.keyring = keyring;
        this.timings = timings;
        boolean started = false;
        try {
            victim = cluster.start("victim", this::configure);
            for (int i = 1; i <= PEERS; i++) {
                GossipNode peer = cluster.start("peer-" + i, this::configure);
                peer.addListener(this::countSuspicion);
                LoopbackCluster.joinOrFail(peer, victim);
                peers.add(peer);
            }
            List<GossipNode> all = new ArrayList<>(peers);
            all.add(victim);
            LoopbackCluster.awaitConverged(all);
            warmUp();
            started = true;
        } finally {
            if (!started) {
                cluster.close();
            }
        }
    }

    Arena() {
        this(null);
    }

    /** Probes once before measuring, so that the first row does not time class loading and JIT. */
    private void warmUp() {
        try (RttProbe probe = RttProbe.start(victim, peers)) {
            TimeUnit.MILLISECONDS.sleep(300);
            probe.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while warming up", e);
        }
    }

    private GossipConfig.Builder configure(GossipConfig.Builder b) {
        b.timings(timings);
        return keyring == null ? b : b.keyring(keyring);
    }

    private void countSuspicion(GossipEvent event) {
        if (event instanceof GossipEvent.MemberEvent e && e.type() == GossipEvent.MemberEventType.SUSPICION
                && e.members().stream().anyMatch(m -> m.name().equals(victim.name()) && m.suspect())) {
            suspicions.incrementAndGet();
        }
    }

    InetSocketAddress victimAddress() {
        return victim.localAddress();
    }

    /** Times a peer began to suspect the victim, since the arena started. */
    int suspicions() {
        return suspicions.get();
    }

    /** A started node, configured like the others, that has joined nobody yet. */
    GossipNode newcomer(String shortName) {
        return cluster.start(shortName, this::configure);
    }

    /**
     * Runs {@code attack} from a fresh {@link Attacker}, with an {@link RttProbe} and a {@link
     * VictimMeter} on the victim for {@code duration} (for all of it, even when the attacker is done
     * sooner), then lets peers settle for up to {@link #SETTLE} and compares the heap the JVM
     * retains (after full collections, the least within another {@link #SETTLE}) with the heap
     * before.
     */
    Result attack(String id, String name, Duration duration, Attack attack) throws Exception {
        long heapBefore = VictimMeter.usedHeapAfterGc();
        int suspectedBefore = suspicions.get();
        long attackerBytes;
        long attackerCpu;
        long victimCpu;
        RttProbe.Stats rtt;
        List<String> threads;
        try (Attacker attacker = new Attacker(); RttProbe probe = RttProbe.start(victim, peers);
             VictimMeter meter = VictimMeter.start(victim)) {
            long deadline = System.nanoTime() + duration.toNanos();
            attack.run(attacker, deadline);
            attacker.awaitThreads(deadline + TimeUnit.SECONDS.toNanos(1));
            Attacker.sleepUntil(deadline); // the aftermath of an attack that ended early counts too
            attacker.close();
            victimCpu = meter.stop();
            threads = meter.threadNames();
            attackerBytes = attacker.bytesSent();
            attackerCpu = attacker.cpuNanos();
            rtt = probe.stop();
        }
        boolean survived = settled();
        long heapAfter = VictimMeter.retainedHeap(heapBefore, HEAP_SLACK_BYTES, SETTLE);
        Result result = new Result(id, name, attackerBytes, attackerCpu, victimCpu, rtt,
                suspicions.get() - suspectedBefore, heapAfter - heapBefore, survived);
        result.note("probe RTT p50 %s ms", Result.millis(rtt.p50Millis()))
                .note("attacker CPU %.1f s", attackerCpu / 1e9);
        if (!survived) {
            result.note("victim %s; peers see it: %s", victim.isRunning() ? "running" : "shut down", peersView());
        }
        System.out.printf("%s: victim threads metered: %s%n", name, threads);
        return result;
    }

    private String peersView() {
        return String.join(", ", peers.stream().map(p -> p.member(victim.name())
                .map(m -> m.status().serfName() + (m.suspect() ? " (suspect)" : "")).orElse("unknown")).toList());
    }

    /** The victim runs and every peer lists it alive and unsuspected, within {@link #SETTLE}. */
    private boolean settled() {
        long until = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            boolean alive = victim.isRunning() && peers.stream().allMatch(p -> p.member(victim.name())
                    .filter(m -> m.status() == MemberStatus.ALIVE && !m.suspect()).isPresent());
            if (alive || !victim.isRunning() || System.nanoTime() - until > 0) {
                return alive;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Members the victim lists, whatever their status. */
    int victimMembers() {
        return victim.members().size();
    }

    /** Members listed by the peer that lists the most. */
    int mostMembersAtAPeer() {
        return peers.stream().mapToInt(p -> p.members().size()).max().orElse(0);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
