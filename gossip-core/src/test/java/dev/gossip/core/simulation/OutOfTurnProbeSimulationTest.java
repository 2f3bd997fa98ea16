package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.ProbeResult;
import dev.gossip.core.Timings;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code GossipNode.probe}: a caller that saw a connection refused asks for a probe of that member
 * now, out of turn. A crashed member is then suspected by the whole cluster about one probe
 * interval plus a gossip round after the crash, instead of whenever some node's round-robin
 * reaches it; a live one answers; one only we cannot reach is vouched for by the others.
 */
class OutOfTurnProbeSimulationTest {

    private static final int N = 12;
    private static final int RUNS = 20;

    @Test
    void aCrashedMemberIsSuspectedEverywhereWithinAGossipRoundOfTheProbe() {
        List<Long> outOfTurn = new ArrayList<>();
        List<Long> inTurn = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            outOfTurn.add(suspectedEverywhereAfterCrash(900 + run, true));
            inTurn.add(suspectedEverywhereAfterCrash(900 + run, false));
        }
        outOfTurn.sort(null);
        inTurn.sort(null);
        System.out.printf("crash → suspect at all %d live nodes (LAN timings, %d seeds), ms: median / max%n"
                        + "  out-of-turn probe at the crash: %d / %d%n  probe rounds only:             %d / %d%n",
                N - 1, RUNS, ms(SimCluster.percentile(outOfTurn, 50)), ms(outOfTurn.get(RUNS - 1)),
                ms(SimCluster.percentile(inTurn, 50)), ms(inTurn.get(RUNS - 1)));
        // The probe's verdict comes at the probe interval (1 s) and goes out at once; gossip rounds
        // (200 ms, three members each) then carry it to the rest. Measured: median 1.25 s, max 1.57 s.
        assertThat(ms(SimCluster.percentile(outOfTurn, 50))).as("median with an out-of-turn probe, ms")
                .isBetween(1_000L, 1_400L);
        assertThat(ms(outOfTurn.get(RUNS - 1))).as("slowest run with an out-of-turn probe, ms").isBetween(1_000L, 1_800L);
        assertThat(SimCluster.percentile(inTurn, 50)).as("median without it").isGreaterThan(
                SimCluster.percentile(outOfTurn, 50));
    }

    /** Nanos from the crash until every live node holds the crashed node suspect (or failed). */
    private static long suspectedEverywhereAfterCrash(long seed, boolean probe) {
        SimCluster c = new SimCluster(seed, Timings.lan());
        List<SimNode> nodes = c.formCluster(N, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode caller = nodes.get(0);
        SimNode crashed = nodes.get(N - 1);
        c.runFor(Duration.ofMillis(seed % 1000)); // crash at some point of every node's probe cycle
        long at = c.time.now();
        c.crash(crashed);
        CompletableFuture<ProbeResult> result = probe ? caller.node.probe(crashed.name) : null;
        assertThat(c.runUntil(s -> s.live().stream().allMatch(n -> suspectOrFailed(n, crashed.name)),
                Duration.ofMillis(10), Duration.ofSeconds(30))).isTrue();
        long took = c.time.now() - at;
        if (probe) {
            c.runFor(Duration.ofSeconds(1));
            assertThat(result).isCompletedWithValue(ProbeResult.NO_ACK);
        }
        c.assertNoTaskFailures();
        return took;
    }

    private static boolean suspectOrFailed(SimNode n, String name) {
        Optional<Member> m = n.node.member(name);
        return m.isEmpty() || m.get().suspect() || m.get().status() != MemberStatus.ALIVE;
    }

    @Test
    void aLiveMemberAcksOneCutOffFromUsIsVouchedForAndAnUnknownOneIsNotProbed() {
        SimCluster c = new SimCluster(77, Timings.lan());
        List<SimNode> nodes = c.formCluster(5, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode a = nodes.get(0);
        SimNode b = nodes.get(1);
        assertThat(probe(c, a, b.name)).isEqualTo(ProbeResult.ACKED);

        c.network.partition(List.of(a.address), List.of(b.address));
        assertThat(probe(c, a, b.name)).as("cut off from us alone").isEqualTo(ProbeResult.ACKED_BY_OTHERS);
        assertThat(a.node.member(b.name).orElseThrow().suspect()).as("not suspected: the others reach it").isFalse();
        c.network.heal();

        assertThat(probe(c, a, "nobody")).isEqualTo(ProbeResult.NOT_PROBED);
        assertThat(probe(c, a, a.name)).as("ourselves").isEqualTo(ProbeResult.NOT_PROBED);
        c.assertNoTaskFailures();
    }

    @Test
    void aBurstOfRequestsForOneMemberCostsOneProbe() {
        SimCluster c = new SimCluster(78, Timings.lan());
        List<SimNode> nodes = c.formCluster(5, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode a = nodes.get(0);
        SimNode b = nodes.get(1);
        c.crash(b);
        List<CompletableFuture<ProbeResult>> burst = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            burst.add(a.node.probe(b.name));
        }
        c.runFor(Duration.ofSeconds(2));
        assertThat(burst).allSatisfy(f -> assertThat(f).isCompletedWithValue(ProbeResult.NO_ACK));
        assertThat(a.node.stats().messages()).containsEntry("probe-out-of-turn", 1L);
        assertThat(a.node.internalSizes()).containsEntry("memberlist.outOfTurnProbes", 0);
        c.assertNoTaskFailures();
    }

    private static ProbeResult probe(SimCluster c, SimNode from, String member) {
        CompletableFuture<ProbeResult> f = from.node.probe(member);
        c.runFor(Duration.ofSeconds(2));
        return f.join();
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
