package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Query;
import dev.gossip.core.QueryHandle;
import dev.gossip.core.QueryParams;
import dev.gossip.core.Timings;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.simulation.SimCluster.SimNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Serf layer in small simulated clusters: user events, queries, tags, reaping, encryption. */
class SerfFeaturesSimulationTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void userEventsReachEveryNodeExactlyOnce() {
        int n = 30;
        SimCluster c = new SimCluster(71, Timings.lan());
        c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        long sentAt = c.time.now();
        List<String> names = List.of("deploy", "restart", "flush", "deploy", "config");
        for (int i = 0; i < names.size(); i++) {
            c.node(i * 7).node.sendUserEvent(names.get(i), utf8("payload-" + i), false);
        }
        assertThat(c.runUntil(s -> s.live().stream().allMatch(x -> x.events.stream()
                .filter(e -> e.kind().equals("user")).count() >= names.size()),
                Duration.ofMillis(50), Duration.ofSeconds(30))).as("all events everywhere").isTrue();
        long allAt = c.time.now() - sentAt;
        c.runFor(Duration.ofSeconds(90)); // gossip and push/pulls keep re-offering them: no duplicates

        for (SimNode x : c.live()) {
            List<String> got = x.events.stream().filter(e -> e.kind().equals("user"))
                    .map(e -> e.subject() + "=" + e.payload()).sorted().toList();
            assertThat(got).as("%s's user events", x).containsExactly("config=payload-4", "deploy=payload-0",
                    "deploy=payload-3", "flush=payload-2", "restart=payload-1");
        }
        // A node joining later does not get old events replayed (Serf's join without -replay).
        SimNode late = c.add(n);
        late.node.joinAsync(List.of(SimCluster.seedOf(3)));
        assertThat(c.runUntil(SimCluster::converged, Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        c.runFor(Duration.ofSeconds(40));
        assertThat(late.count("user", "deploy")).isZero();
        System.out.printf("[sim] %d user events from 5 nodes reached all %d nodes within %s s, each exactly once"
                + " (after 90 s more); a later joiner got none replayed%n", names.size(), n, SimCluster.secs(allAt));
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void statsShowWhatSerfInfoShows() {
        SimCluster c = new SimCluster(73, Timings.lan());
        List<SimNode> nodes = c.formCluster(5, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode a = nodes.get(0);
        Map<String, String> before = stats(c, a);
        assertThat(before).containsKeys("members", "failed", "left", "health_score", "member_time", "event_time",
                "query_time", "intent_queue", "event_queue", "query_queue", "encrypted", "coordinate_resets");
        assertThat(before).containsEntry("members", "5").containsEntry("failed", "0").containsEntry("left", "0")
                .containsEntry("encrypted", "false").containsEntry("health_score", "0");

        nodes.get(4).node.leave();
        c.runFor(Duration.ofSeconds(10));
        a.node.sendUserEvent("deploy", utf8("v2"), false);
        c.runFor(Duration.ofSeconds(1));
        Map<String, String> after = stats(c, a);
        assertThat(after).containsEntry("left", "1");
        // Each of the five joins and the leave moved the member clock; the event moved the event clock.
        assertThat(Long.parseLong(after.get("member_time"))).isGreaterThan(Long.parseLong(before.get("member_time")));
        assertThat(Long.parseLong(after.get("event_time"))).isEqualTo(Long.parseLong(before.get("event_time")) + 1);
    }

    /**
     * ping asks only whether we reach the member ourselves: a member cut off from us but not from
     * the others (whom indirect probes keep alive) answers false, and true again after the heal.
     */
    @Test
    void pingTellsWhetherWeReachAMemberOurselves() {
        SimCluster c = new SimCluster(74, Timings.lan());
        List<SimNode> nodes = c.formCluster(4, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode a = nodes.get(0);
        SimNode b = nodes.get(1);
        assertThat(ping(c, a, b.name)).isTrue();
        c.network.partition(List.of(a.address), List.of(b.address));
        assertThat(ping(c, a, b.name)).as("cut off from us").isFalse();
        assertThat(ping(c, a, nodes.get(2).name)).as("still reachable").isTrue();
        c.runFor(Duration.ofSeconds(20));
        assertThat(a.statusOf(b.name)).as("alive all the same: others vouch for it").isEqualTo(MemberStatus.ALIVE);
        assertThat(ping(c, a, b.name)).isFalse();
        assertThat(ping(c, a, "nobody")).as("not a member").isFalse();
        c.network.heal();
        assertThat(ping(c, a, b.name)).isTrue();
        c.assertNoTaskFailures();
    }

    private static boolean ping(SimCluster c, SimNode from, String member) {
        CompletableFuture<Boolean> f = from.node.ping(member);
        c.runFor(Duration.ofSeconds(1));
        return f.join();
    }

    private static Map<String, String> stats(SimCluster c, SimNode x) {
        CompletableFuture<Map<String, String>> f = x.node.serfStats();
        c.runFor(Duration.ofMillis(1));
        return f.join();
    }

    @Test
    void queryCollectsAcksAndResponsesFromEveryNode() {
        int n = 30;
        SimCluster c = new SimCluster(72, Timings.lan());
        List<SimNode> nodes = c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        for (SimNode x : nodes) {
            x.node.addListener(e -> {
                if (e instanceof Query q && q.name().equals("whoami")) {
                    q.respond(utf8("I am " + x.name));
                }
            });
        }
        long start = c.time.now();
        CompletableFuture<QueryHandle> f = c.node(5).node.queryAsync("whoami", utf8("?"), QueryParams.defaults().withAck());
        c.runFor(Duration.ofMillis(1));
        QueryHandle h = f.join();
        long[] lastAnswer = {0};
        h.onResponse(r -> lastAnswer[0] = c.time.now());
        assertThat(c.runUntil(s -> h.finished().isDone(), Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        Set<String> all = nodes.stream().map(x -> x.name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(h.acks())).isEqualTo(all);
        assertThat(h.acks()).hasSize(n);
        assertThat(h.responses()).hasSize(n);
        for (QueryHandle.Response r : h.responses()) {
            assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("I am " + r.from());
        }
        // Filtered: only the named nodes answer (the others still relay the query).
        CompletableFuture<QueryHandle> f2 = c.node(9).node.queryAsync("whoami", utf8("?"),
                QueryParams.defaults().withAck().withNodes(List.of("node-1", "node-2", "node-29")));
        c.runFor(Duration.ofMillis(1));
        QueryHandle h2 = f2.join();
        assertThat(c.runUntil(s -> h2.finished().isDone(), Duration.ofMillis(100), Duration.ofSeconds(30))).isTrue();
        assertThat(new TreeSet<>(h2.acks())).containsExactly("node-1", "node-2", "node-29");
        assertThat(h2.responses()).extracting(QueryHandle.Response::from)
                .containsExactlyInAnyOrder("node-1", "node-2", "node-29");
        System.out.printf("[sim] query to %d nodes: %d acks, %d responses, last response after %s s (timeout %s s);"
                        + " filtered query: acks %s%n", n, h.acks().size(), h.responses().size(),
                SimCluster.secs(lastAnswer[0] - start), SimCluster.secs(0L + 200_000_000L * 16 * 2), h2.acks());
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void tagUpdateIsSeenAsMemberUpdateEverywhere() {
        int n = 30;
        SimCluster c = new SimCluster(73, Timings.lan());
        c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode x = c.node(4);
        long at = c.time.now();
        Map<String, String> tags = Map.of("role", "db", "zone", "eu-1");
        x.node.setTags(tags);
        // The other nodes' views. (The node's own view of its tags is a local matter, fixed
        // separately in Memberlist.updateMeta.)
        List<SimNode> others = c.live().stream().filter(o -> o != x).toList();
        assertThat(c.runUntil(s -> others.stream().allMatch(o -> o.view(x.name).map(Member::tags)
                .map(tags::equals).orElse(false)), Duration.ofMillis(50), Duration.ofSeconds(30))).isTrue();
        long all = c.time.now() - at;
        c.runFor(Duration.ofSeconds(60));
        for (SimNode o : others) {
            assertThat(o.count("member-update", x.name)).as("%s: member-update about %s", o, x).isEqualTo(1);
            assertThat(o.view(x.name).orElseThrow().tags()).isEqualTo(tags);
        }
        System.out.printf("[sim] tag update of %s seen as member-update by all %d other nodes within %s s%n", x,
                others.size(), SimCluster.secs(all));
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void leftAndFailedMembersAreReapedAfterTheirTimeouts() {
        Timings t = Timings.lan().toBuilder().tombstoneTimeout(Duration.ofSeconds(60))
                .reconnectTimeout(Duration.ofSeconds(90)).reapInterval(Duration.ofSeconds(5)).build();
        int n = 12;
        SimCluster c = new SimCluster(74, t);
        c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        SimNode leaver = c.node(2);
        SimNode crashed = c.node(3);
        boolean[] left = {false};
        leaver.node.leave().thenRun(() -> left[0] = true);
        assertThat(c.runUntil(s -> left[0] && s.allSee(leaver.name, MemberStatus.LEFT), Duration.ofMillis(100),
                Duration.ofSeconds(30))).isTrue();
        leaver.node.shutdown();
        c.crash(crashed);
        assertThat(c.runUntil(s -> s.allSee(crashed.name, MemberStatus.FAILED), Duration.ofMillis(100),
                Duration.ofSeconds(60))).isTrue();
        assertThat(c.runUntil(s -> s.allSee(leaver.name, MemberStatus.NONE) && s.allSee(crashed.name, MemberStatus.NONE),
                Duration.ofMillis(100), Duration.ofSeconds(150))).as("both reaped everywhere").isTrue();
        List<Long> leftToReap = new ArrayList<>();
        List<Long> failedToReap = new ArrayList<>();
        for (SimNode o : c.live()) {
            assertThat(o.count("member-reap", leaver.name)).isEqualTo(1);
            assertThat(o.count("member-reap", crashed.name)).isEqualTo(1);
            leftToReap.add(o.firstAt("member-reap", leaver.name) - o.firstAt("member-leave", leaver.name));
            failedToReap.add(o.firstAt("member-reap", crashed.name) - o.firstAt("member-failed", crashed.name));
        }
        long lMin = leftToReap.stream().mapToLong(Long::longValue).min().orElseThrow();
        long lMax = leftToReap.stream().mapToLong(Long::longValue).max().orElseThrow();
        long fMin = failedToReap.stream().mapToLong(Long::longValue).min().orElseThrow();
        long fMax = failedToReap.stream().mapToLong(Long::longValue).max().orElseThrow();
        System.out.printf("[sim] reap: left member reaped %s..%s s after member-leave (tombstone 60 s, reap every"
                        + " 5 s); failed member reaped %s..%s s after member-failed (reconnect timeout 90 s)%n",
                SimCluster.secs(lMin), SimCluster.secs(lMax), SimCluster.secs(fMin), SimCluster.secs(fMax));
        long reap = t.reapInterval().toNanos();
        assertThat(lMin).isGreaterThanOrEqualTo(t.tombstoneTimeout().toNanos());
        assertThat(lMax).isLessThanOrEqualTo(t.tombstoneTimeout().toNanos() + reap);
        assertThat(fMin).isGreaterThanOrEqualTo(t.reconnectTimeout().toNanos());
        assertThat(fMax).isLessThanOrEqualTo(t.reconnectTimeout().toNanos() + reap);
        // Gone for good: a minute later nobody has them back.
        c.runFor(Duration.ofSeconds(60));
        assertThat(c.allSee(leaver.name, MemberStatus.NONE) && c.allSee(crashed.name, MemberStatus.NONE)).isTrue();
        assertThat(c.converged()).isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

    @Test
    void encryptedClusterConvergesAndNodesWithoutTheKeyNeverJoin() {
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        for (int i = 0; i < 32; i++) {
            k1[i] = (byte) i;
            k2[i] = (byte) (100 + i);
        }
        int n = 10;
        SimCluster c = new SimCluster(75, Timings.lan());
        c.configure = b -> b.keyring(Keyring.of(k1));
        c.formCluster(n, Duration.ofMillis(100), Duration.ofSeconds(30));
        double convergedAt = c.seconds();

        SimNode wrongKey = c.add(n, Map.of(), b -> b.keyring(Keyring.of(k2)));
        SimNode noKey = c.add(n + 1, Map.of(), b -> b);
        CompletableFuture<Integer> j1 = wrongKey.node.joinAsync(List.of(SimCluster.seedOf(0), SimCluster.seedOf(4)));
        CompletableFuture<Integer> j2 = noKey.node.joinAsync(List.of(SimCluster.seedOf(1)));
        long dropsBefore = c.node(0).node.stats().totalDrops();
        c.runFor(Duration.ofSeconds(60));
        System.out.printf("[sim] encrypted %d-node cluster converged at %.1f s; wrong-key join reached %d seeds,"
                        + " plaintext join %d; drops at node-0: %s%n", n, convergedAt, j1.join(), j2.join(),
                c.node(0).node.stats().drops());
        assertThat(j1.join()).isZero();
        assertThat(j2.join()).isZero();
        for (SimNode o : c.nodes.values()) {
            if (o == wrongKey || o == noKey) {
                continue;
            }
            assertThat(o.statusOf(wrongKey.name)).isEqualTo(MemberStatus.NONE);
            assertThat(o.statusOf(noKey.name)).isEqualTo(MemberStatus.NONE);
            assertThat(o.count("member-join", wrongKey.name) + o.count("member-join", noKey.name)).isZero();
        }
        assertThat(wrongKey.node.members()).extracting(Member::name).containsExactly(wrongKey.name);
        assertThat(noKey.node.members()).extracting(Member::name).containsExactly(noKey.name);
        assertThat(c.node(0).node.stats().totalDrops()).isGreaterThan(dropsBefore);
        assertThat(SimCluster.convergedAmong(c.live().subList(0, n))).isTrue();
        assertThat(c.time.taskFailures()).as("task failures: %s", c.time.firstFailure()).isZero();
    }

}
