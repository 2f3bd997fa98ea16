package dev.gossip.core.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gossip.core.DropReason;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Query;
import dev.gossip.core.QueryParams;
import dev.gossip.core.Timings;
import dev.gossip.core.sim.Link;
import dev.gossip.core.sim.NodeScheduler;
import dev.gossip.core.simulation.SimCluster.SimNode;
import dev.gossip.core.simulation.SimCluster.Stopped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fault lab scenario 9, a churn soak in virtual time: 200 nodes on LAN timings, 5 % of the packets
 * on every link lost, and every 2 to 8 s a join (a new name), a leave, a crash or a restart (a
 * stopped name back, now and then at a new address), with a user event every 30 s and a query
 * every 2 min on top.
 *
 * <p>Half the nodes (the core) stay up throughout; churn stops and restarts the other half, whose
 * processes live some twenty minutes each. The core thus lives through Serf's memory of failed and
 * left members (ReconnectTimeout, TombstoneTimeout; {@link #MEMORY}): its member maps fill for that
 * long and must then stay level. Every 10 virtual minutes, every map and queue of every running
 * node, each node's pending timers, the virtual clock's queue and the network's own state must be
 * within bounds derived from the churn so far. At the end, members down for longer than the memory
 * must be gone everywhere (reaped members really go), no task may have thrown, and once churn and
 * loss stop, every node must see exactly the running nodes alive.
 *
 * <p>Retained heap per node is measured (after full GCs) at 1 h, when the tombstone window has
 * filled (memory + 1 h) and at the end; with the largest sizes seen it is printed as a table and
 * written to {@code target/soak/soak-report.md}.
 *
 * <p>{@code -Dsoak.hours} sets the length: 2 virtual hours by default, with a 30-minute memory,
 * some two minutes on two cores. The simulator runs this cluster at some 60 virtual seconds per
 * wall second at first, and more slowly as the core's tombstones grow (every push/pull carries
 * them all), so Serf's own 24 h ({@code -Dsoak.memory=PT24H -Dsoak.hours=48}) takes hours: one
 * such run reached 8 virtual hours in 16 minutes, at 39 virtual s per wall s and falling, with
 * 961 members per node. {@code -Dsoak.seed} picks another run; the same seed replays the same run
 * (the report's fingerprint shows it).
 */
class ChurnSoakLabTest {

    private static final long SEED = Long.getLong("soak.seed", 9L);
    private static final double HOURS = Double.parseDouble(System.getProperty("soak.hours", "2"));
    /**
     * Serf's memory of failed and left members (ReconnectTimeout, TombstoneTimeout): 24 h in Serf,
     * 30 min by default here, so that a run of a few virtual hours fills it, reaps from it and
     * shows it level; {@code -Dsoak.memory=PT24H -Dsoak.hours=48} is the real thing (hours of wall time).
     */
    private static final Duration MEMORY = Duration.parse(System.getProperty("soak.memory", "PT30M"));
    private static final int N = 200;
    /** Nodes 0 .. CORE-1 are never stopped. */
    private static final int CORE = N / 2;
    private static final double LOSS = 0.05;
    /** How far the population may drift from N before churn only pushes it back. */
    private static final int DRIFT = 5;
    private static final long MIN_GAP = Duration.ofSeconds(2).toNanos();
    private static final long MAX_GAP = Duration.ofSeconds(8).toNanos();
    private static final long EVENT_EVERY = Duration.ofSeconds(30).toNanos();
    /** Far above the query timeout (9.6 s at N = 200): at most one query is open at a time. */
    private static final long QUERY_EVERY = Duration.ofMinutes(2).toNanos();
    /** A node sends events and queries only once it has been up this long (its clocks have caught up). */
    private static final long SETTLED = Duration.ofMinutes(1).toNanos();
    /**
     * A crashed name may come back at a new address only after this long: until memberlist has
     * reaped its dead state (GossipToTheDeadTime, then a full probe round), peers treat a new
     * address as a name conflict (DeadNodeReclaimTime is 0). A left name may move at once.
     */
    private static final long NEW_ADDRESS_AFTER = Duration.ofMinutes(15).toNanos();
    /** How long after a crash or leave peers may still hold the node in memberlist's node map. */
    private static final long MEMBERLIST_WINDOW = Duration.ofMinutes(10).toNanos();
    /** Detection, push/pull repair and the reap tick on top of the memory: when a tombstone must be gone. */
    private static final long REAP_SLACK = Duration.ofMinutes(10).toNanos();
    private static final long HOUR = Duration.ofHours(1).toNanos();
    /** Bounds are checked this often; the report shows the largest size seen in each hour. */
    private static final long SAMPLE_EVERY = Duration.ofMinutes(10).toNanos();

    private final Timings timings = Timings.lan().toBuilder().reconnectTimeout(MEMORY).tombstoneTimeout(MEMORY).build();
    private final SimCluster c = new SimCluster(SEED, timings, Link.lossy(LOSS));
    private final SplittableRandom random = new SplittableRandom(SEED ^ 0x50A4L);

    /** Running and not leaving: what a join may use as its seed. */
    private final List<SimNode> up = new ArrayList<>();
    /** The nodes of {@link #up} outside the core: what churn may stop. */
    private final List<SimNode> churners = new ArrayList<>();
    private final Set<SimNode> leaving = new LinkedHashSet<>();
    private final List<SimNode> leaveDone = new ArrayList<>();
    private final List<SimNode> joinFailed = new ArrayList<>();
    /** Stopped names that may come back, and since when they are down. */
    private final List<Stopped> down = new ArrayList<>();
    private final Map<String, Long> downSince = new HashMap<>();
    /** Stopped names that left gracefully (the others crashed). */
    private final Set<String> leftGracefully = new HashSet<>();
    /** Schedulers of nodes shut down after a leave: their timers must run out. */
    private final Map<NodeScheduler, Long> shutDownAt = new LinkedHashMap<>();
    private final Map<String, Long> startedAt = new HashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<DropReason, Long> dropsOfStopped = new HashMap<>();
    private int nextIndex = N;
    private long nextEvent;
    private long nextQuery;
    /** When the cluster had formed and churn began. */
    private long soakStart;

    /** What one check of the bounds saw. */
    private record Sample(int running, double avgSerfMembers) {}

    /** One column of the report. */
    private record Checkpoint(double hour, int running, long heapPerNode, double avgSerfMembers,
                              Map<String, Integer> max, double virtualPerWall) {}

    private final List<Checkpoint> checkpoints = new ArrayList<>();

    @Test
    void twoHundredNodesUnderChurnStayBoundedAndConverge() throws IOException {
        // The nodes log some 100,000 lines an hour (every failure and leave, on every node): keep
        // the last of them in a file of their own rather than in the test's output.
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "soak");
        Files.createDirectories(dir);
        PrintStream stderr = System.err;
        LogTail log = new LogTail(5_000);
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            soak(dir, log);
        } finally {
            System.setErr(stderr);
            log.writeTo(dir.resolve("soak-log-tail.txt"));
        }
    }

    private void soak(Path dir, LogTail log) throws IOException {
        System.out.printf("[soak] seed %d (-Dsoak.seed), %.1f virtual hours (-Dsoak.hours), %d nodes, %.0f %% loss%n",
                SEED, HOURS, N, LOSS * 100);
        long baseline = retainedHeap();
        long wallStart = System.nanoTime();
        c.recordEvents = false;
        for (SimNode n : c.formCluster(N, Duration.ofMillis(100), Duration.ofSeconds(120))) {
            started(n);
        }
        long start = c.time.now();
        soakStart = start;
        long end = start + (long) (HOURS * HOUR);
        nextEvent = start + EVENT_EVERY;
        nextQuery = start + QUERY_EVERY;
        long nextCheck = start + Math.min(HOUR, end - start);
        long nextSample = start + SAMPLE_EVERY;
        Map<String, Integer> hourMax = new LinkedHashMap<>();
        long wallAtCheck = System.nanoTime();
        long virtualAtCheck = c.time.now();
        long windowFullHour = Math.round((MEMORY.toNanos() + HOUR) / (double) HOUR);
        Long heapWindowFull = null;
        Long perMemberAt1 = null;
        while (c.time.now() < end) {
            c.time.runFor(Math.min(random.nextLong(MIN_GAP, MAX_GAP + 1), end - c.time.now()));
            settle();
            if (c.time.now() < end) {
                churn();
                traffic();
            }
            if (c.time.now() >= nextSample && c.time.now() < nextCheck) {
                sample(hourMax);
                nextSample += SAMPLE_EVERY;
            }
            if (c.time.now() >= nextCheck) {
                double hour = (c.time.now() - start) / (double) HOUR;
                long hourIndex = Math.round(hour);
                boolean heap = hourIndex == 1 || hourIndex == windowFullHour || c.time.now() >= end;
                double rate = (c.time.now() - virtualAtCheck) / (double) (System.nanoTime() - wallAtCheck);
                Sample last = sample(hourMax);
                long retained = heap ? retainedHeap() - baseline : -1;
                Checkpoint cp = new Checkpoint(hour, last.running, retained < 0 ? -1 : retained / last.running,
                        last.avgSerfMembers, hourMax, rate);
                hourMax = new LinkedHashMap<>();
                nextSample = c.time.now() + SAMPLE_EVERY;
                wallAtCheck = System.nanoTime();
                virtualAtCheck = c.time.now();
                checkpoints.add(cp);
                System.out.printf("[soak] %5.1f h: %d running, %s members/node (avg), heap/node %s, %.0f virtual s/wall s,"
                                + " churn %s, wall %.0f s%n", hour, cp.running, Math.round(cp.avgSerfMembers),
                        cp.heapPerNode < 0 ? "-" : kib(cp.heapPerNode), cp.virtualPerWall, counts,
                        (System.nanoTime() - wallStart) / 1e9);
                if (hourIndex == 1 && heap) {
                    perMemberAt1 = Math.round(cp.heapPerNode / cp.avgSerfMembers);
                }
                if (hourIndex == windowFullHour && heap) {
                    heapWindowFull = cp.heapPerNode;
                }
                nextCheck = Math.min(nextCheck + HOUR, end);
            }
        }
        long soakEnd = c.time.now();
        Checkpoint last = checkpoints.get(checkpoints.size() - 1);

        // Reaped members really go: nobody still knows a name that has been down for longer than the memory.
        long reapedBefore = soakEnd - timings.tombstoneTimeout().toNanos() - timings.reapInterval().toNanos()
                - REAP_SLACK;
        Set<String> longGone = new TreeSet<>();
        downSince.forEach((name, at) -> {
            if (at < reapedBefore) {
                longGone.add(name);
            }
        });
        List<String> stale = new ArrayList<>();
        for (SimNode n : running()) {
            for (Member m : n.node.members()) {
                if (longGone.contains(m.name())) {
                    stale.add(String.format("%s knows %s, down since %.2f h", n, m.name(),
                            (downSince.get(m.name()) - start) / (double) HOUR));
                }
            }
        }
        assertThat(stale).as("members down for longer than the tombstone timeout").isEmpty();

        // Views converge: no more churn or loss, pending leaves finish, then every running node sees
        // exactly the running nodes alive.
        c.network.setDefaultLink(Link.LAN);
        assertThat(c.runUntil(s -> {
            settle();
            return leaving.isEmpty() && joinFailed.isEmpty() && viewMismatch() == null;
        }, Duration.ofSeconds(5), Duration.ofMinutes(30))).as("views converge after churn stops: %s", viewMismatch())
                .isTrue();
        double settleSeconds = (c.time.now() - soakEnd) / 1e9;

        long wall = System.nanoTime() - wallStart;
        String report = report(longGone.size(), settleSeconds, wall, log.count());
        System.out.print(report);
        Files.writeString(dir.resolve("soak-report.md"), report, StandardCharsets.UTF_8);

        // No task failures: nothing the virtual clock ran threw, and no loop or handler counted one.
        c.assertNoTaskFailures();
        assertThat(drops().getOrDefault(DropReason.INTERNAL, 0L)).as("internal failures (counted, not thrown)")
                .isZero();
        // Heap: per member known, no more than at 1 h; and level once the tombstone window is full.
        if (perMemberAt1 != null) {
            assertThat(Math.round(last.heapPerNode / last.avgSerfMembers)).as("retained heap per node per member known"
                    + " at the end vs at 1 h").isLessThanOrEqualTo(Math.round(1.5 * perMemberAt1));
        }
        if (heapWindowFull != null && last.hour > windowFullHour) {
            assertThat(last.heapPerNode).as("retained heap per node at the end vs at %d h", windowFullHour)
                    .isLessThanOrEqualTo((long) (1.5 * heapWindowFull));
        }
    }

    // ---- churn ----

    private void churn() {
        int population = up.size();
        int op;
        if (population > N + DRIFT) {
            op = 1 + random.nextInt(2); // leave or crash
        } else if (population < N - DRIFT) {
            op = random.nextBoolean() ? 0 : 3; // join or restart
        } else {
            op = random.nextInt(4);
        }
        if (op == 1 || op == 2) {
            op = churners.isEmpty() ? 0 : op;
        }
        switch (op) {
            case 0 -> join();
            case 1 -> leave();
            case 2 -> crash();
            default -> restart();
        }
    }

    private void join() {
        SimNode n = c.add(nextIndex++);
        started(n);
        joinThroughTwo(n);
        count("joins");
    }

    private void leave() {
        SimNode n = stopCandidate();
        leaving.add(n);
        downSince.put(n.name, c.time.now()); // peers start counting its tombstone about now
        n.node.leave().thenRun(() -> leaveDone.add(n));
        count("leaves");
    }

    private void crash() {
        SimNode n = stopCandidate();
        c.crash(n);
        stopped(n);
        count("crashes");
    }

    private void restart() {
        if (down.isEmpty()) {
            join();
            return;
        }
        Stopped s = down.remove(random.nextInt(down.size()));
        long downFor = c.time.now() - downSince.remove(s.name());
        InetSocketAddress at = s.address();
        // A left name may move at once; a crashed one only once memberlist has forgotten it.
        boolean left = leftGracefully.remove(s.name());
        if (random.nextInt(4) == 0 && (left || downFor > NEW_ADDRESS_AFTER)) {
            at = SimCluster.address(nextIndex++);
            count("moved");
        }
        SimNode n = c.restartAt(s, at);
        started(n);
        joinThroughTwo(n);
        count("restarts");
    }

    private SimNode stopCandidate() {
        SimNode n = churners.remove(random.nextInt(churners.size()));
        up.remove(n);
        return n;
    }

    /** Joins through two random running nodes; if neither answers, the next step tries again. */
    private void joinThroughTwo(SimNode n) {
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < 2 && !up.isEmpty(); i++) {
            InetSocketAddress a = up.get(random.nextInt(up.size())).address;
            seeds.add(a.getAddress().getHostAddress() + ":" + a.getPort());
        }
        n.node.joinAsync(seeds).thenAccept(contacted -> {
            if (contacted == 0) {
                joinFailed.add(n);
            }
        });
    }

    private void started(SimNode n) {
        up.add(n);
        if (n.index >= CORE) {
            churners.add(n);
        }
        startedAt.put(n.name, c.time.now());
        n.node.addListener(e -> {
            if (e instanceof Query q && q.name().equals("soak")) {
                q.respond(n.name.getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** Forgets a stopped process (its heap may go), remembering how to bring its name back. */
    private void stopped(SimNode n) {
        n.node.stats().drops().forEach((reason, k) -> dropsOfStopped.merge(reason, k, Long::sum));
        down.add(c.forget(n));
        if (leaving.remove(n)) {
            leftGracefully.add(n.name);
        }
        downSince.putIfAbsent(n.name, c.time.now());
    }

    /** Shuts down nodes whose leave completed, and retries joins that reached nobody. */
    private void settle() {
        for (SimNode n : List.copyOf(leaveDone)) {
            n.node.shutdown();
            shutDownAt.put(n.scheduler, c.time.now());
            stopped(n);
        }
        leaveDone.clear();
        for (SimNode n : List.copyOf(joinFailed)) {
            joinFailed.remove(n);
            if (up.contains(n)) {
                joinThroughTwo(n);
                count("rejoins");
            }
        }
    }

    /** A user event every 30 s and a query every 2 min, from a random node that has settled. */
    private void traffic() {
        long now = c.time.now();
        if (now >= nextEvent) {
            nextEvent += EVENT_EVERY;
            SimNode n = settledNode();
            if (n != null) {
                n.node.sendUserEvent("soak", Long.toString(now).getBytes(StandardCharsets.UTF_8), false);
                count("events");
            }
        }
        if (now >= nextQuery) {
            nextQuery += QUERY_EVERY;
            SimNode n = settledNode();
            if (n != null) {
                n.node.queryAsync("soak", new byte[0], QueryParams.defaults().withAck());
                count("queries");
            }
        }
    }

    private SimNode settledNode() {
        for (int tries = 0; tries < 10; tries++) {
            SimNode n = up.get(random.nextInt(up.size()));
            if (c.time.now() - startedAt.get(n.name) > SETTLED) {
                return n;
            }
        }
        return null;
    }

    private void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    private List<SimNode> running() {
        List<SimNode> all = new ArrayList<>(up);
        all.addAll(leaving);
        return all;
    }

    // ---- bounds ----

    /** Names down (crashed, or left) since after {@code since}. */
    private int downSince(long since) {
        int n = 0;
        for (long at : downSince.values()) {
            if (at > since) {
                n++;
            }
        }
        return n;
    }

    /** Checks every bound now, and folds the sizes seen into {@code max}. */
    private Sample sample(Map<String, Integer> max) {
        long now = c.time.now();
        double hour = (now - soakStart) / (double) HOUR;
        List<SimNode> running = running();
        int live = running.size();
        // Serf remembers a failed or left member for MEMORY from when it noticed, reaped at the next tick.
        int serfBound = live + downSince(now - timings.tombstoneTimeout().toNanos()
                - timings.reapInterval().toNanos() - REAP_SLACK);
        // memberlist forgets a dead node at the first probe wrap-around past GossipToTheDeadTime.
        int memberlistBound = live + downSince(now - MEMBERLIST_WINDOW);
        int queueCap = timings.maxQueueDepth();
        long serfMembers = 0;
        for (SimNode n : running) {
            Map<String, Integer> s = n.node.internalSizes();
            if (s.isEmpty()) {
                continue; // started this very step: its protocol is built on its first turn
            }
            String at = String.format("%s at %.2f h", n, hour);
            int nodes = s.get("memberlist.nodes");
            int members = s.get("serf.members");
            serfMembers += members;
            atMost(at, s, "memberlist.nodes", memberlistBound);
            atMost(at, s, "memberlist.probeOrder", nodes);
            atMost(at, s, "memberlist.addresses", nodes);
            atMost(at, s, "memberlist.suspicions", nodes);
            // Named by node: at most one broadcast per node known or just forgotten.
            atMost(at, s, "memberlist.broadcasts", Math.min(queueCap, memberlistBound));
            // Our own probe, the indirect pings we relay for others (500 ms each), and their stragglers.
            atMost(at, s, "memberlist.ackHandlers", 1 + 2 * timings.indirectChecks() + 4);
            atMost(at, s, "memberlist.handoff", 1024 + 256);
            atMost(at, s, "serf.members", serfBound);
            atMost(at, s, "serf.failedMembers", members);
            atMost(at, s, "serf.leftMembers", members - s.get("serf.failedMembers"));
            // Intents about names we do not know, e.g. every tombstone a peer's push/pull lists.
            atMost(at, s, "serf.recentIntents", serfBound);
            atMost(at, s, "serf.coordinateCache", members);
            atMost(at, s, "serf.latencyFilters", members);
            atMost(at, s, "serf.intentBroadcasts", queueCap);
            atMost(at, s, "serf.eventBroadcasts", queueCap);
            atMost(at, s, "serf.queryBroadcasts", queueCap);
            // One event per Lamport time here, and the ring holds eventBuffer of them; likewise queries.
            atMost(at, s, "serf.eventBuffer", timings.eventBuffer());
            atMost(at, s, "serf.queryBuffer", timings.queryBuffer());
            atMost(at, s, "serf.pendingQueries", 1);
            s.forEach((k, v) -> max.merge(k, v, Math::max));
            int pending = (int) n.scheduler.pendingTasks();
            // Eight periodic or per-round timers (gossip; probe tick, indirect and verdict; push/pull;
            // reap, reconnect, queue check), a join's or leave's, the stragglers of finished probe
            // rounds and hand-offs to the node's thread; plus one per suspicion, relayed indirect
            // ping and open query.
            int timerBound = 16 + s.get("memberlist.suspicions") + s.get("memberlist.ackHandlers")
                    + s.get("serf.pendingQueries");
            assertThat(pending).as("%s: pending timers", at).isLessThanOrEqualTo(timerBound);
            max.merge("scheduler.pendingTasks", pending, Math::max);
        }
        // A node shut down after its leave keeps no timer running for long.
        shutDownAt.entrySet().removeIf(e -> {
            if (now - e.getValue() < Duration.ofMinutes(5).toNanos()) {
                return false;
            }
            assertThat(e.getKey().pendingTasks()).as("timers of a node shut down 5 min ago").isZero();
            return true;
        });
        Map<String, Integer> net = c.network.internalSizes();
        assertThat(net.get("network.endpoints")).as("endpoints at %.2f h", hour).isEqualTo(live);
        assertThat(net.get("network.links")).isZero();
        assertThat(net.get("network.cuts")).isZero();
        // Streams: a push/pull or TCP ping in progress per running node, both ends counted.
        assertThat(net.get("network.openStreams")).as("open streams").isLessThanOrEqualTo(2 * live);
        net.forEach((k, v) -> max.merge(k, v, Math::max));
        int queued = c.time.pendingTasks();
        int heapEntries = c.time.queueSize();
        // Lazy clean-up keeps dead entries to at most max(4096, live ones).
        assertThat(heapEntries).as("virtual clock heap entries").isLessThanOrEqualTo(queued + Math.max(4096, queued) + 1);
        max.merge("clock.pendingTasks", queued, Math::max);
        max.merge("clock.heapEntries", heapEntries, Math::max);
        max.merge("bound.serf.members", serfBound, Math::max);
        max.merge("bound.memberlist.nodes", memberlistBound, Math::max);
        return new Sample(live, serfMembers / (double) live);
    }

    private static void atMost(String at, Map<String, Integer> sizes, String key, int bound) {
        assertThat(sizes).as("%s: sizes", at).containsKey(key);
        assertThat(sizes.get(key)).as("%s: %s", at, key).isLessThanOrEqualTo(bound);
    }

    /** Why the views are not exactly the running set alive, or null if they are. */
    private String viewMismatch() {
        Set<String> names = new HashSet<>();
        running().forEach(n -> names.add(n.name));
        for (SimNode n : running()) {
            Set<String> alive = new HashSet<>();
            for (Member m : n.node.members()) {
                if (m.status() == MemberStatus.ALIVE) {
                    alive.add(m.name());
                }
            }
            if (!alive.equals(names)) {
                Set<String> missing = new TreeSet<>(names);
                missing.removeAll(alive);
                Set<String> extra = new TreeSet<>(alive);
                extra.removeAll(names);
                List<String> seen = new ArrayList<>();
                for (String name : missing) {
                    SimNode other = c.node(name);
                    seen.add(name + " (at " + other.address + ", generation " + other.generation + ") as "
                            + n.node.member(name).map(m -> m.status() + "/" + m.incarnation() + " at " + m.address())
                            .orElse("unknown"));
                }
                return n + " (at " + n.address + ") sees " + seen + " and sees " + extra + " alive";
            }
        }
        return null;
    }

    private Map<DropReason, Long> drops() {
        Map<DropReason, Long> all = new HashMap<>(dropsOfStopped);
        for (SimNode n : running()) {
            n.node.stats().drops().forEach((reason, k) -> all.merge(reason, k, Long::sum));
        }
        return all;
    }

    // ---- heap and report ----

    /** Heap in use after full collections: what is really retained. */
    private static long retainedHeap() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String hourLabel(double hour) {
        return Math.abs(hour - Math.rint(hour)) < 0.01 ? String.format("%.0f", hour) : String.format("%.1f", hour);
    }

    private static String kib(long bytes) {
        return String.format("%,d KiB", bytes / 1024);
    }

    private String report(int reaped, double settleSeconds, long wallNanos, long logLines) {
        List<Checkpoint> shown = new ArrayList<>();
        for (Checkpoint cp : checkpoints) {
            long h = Math.round(cp.hour);
            if (cp.heapPerNode >= 0 || h % 12 == 0) {
                shown.add(cp);
            }
        }
        Set<String> keys = new LinkedHashSet<>();
        checkpoints.forEach(cp -> keys.addAll(cp.max.keySet()));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("# Churn soak (fault lab scenario 9)%n%n"));
        sb.append(String.format("Seed %d, %d nodes, %.1f virtual hours, %.0f %% loss on every link, LAN timings"
                        + " (reconnect and tombstone timeouts " + MEMORY.toMinutes() + " min; Serf's are 24 h). Churn: %s."
                        + " Wall time %.0f s.%n%n",
                SEED, N, HOURS, LOSS * 100, counts, wallNanos / 1e9));
        sb.append("| virtual hour |");
        shown.forEach(cp -> sb.append(" ").append(hourLabel(cp.hour)).append(" |"));
        sb.append("\n|---|");
        shown.forEach(cp -> sb.append("---:|"));
        sb.append("\n| running nodes |");
        shown.forEach(cp -> sb.append(" ").append(cp.running).append(" |"));
        sb.append("\n| retained heap per node |");
        shown.forEach(cp -> sb.append(" ").append(cp.heapPerNode < 0 ? "" : kib(cp.heapPerNode)).append(" |"));
        sb.append("\n| serf.members per node (avg) |");
        shown.forEach(cp -> sb.append(" ").append(Math.round(cp.avgSerfMembers)).append(" |"));
        sb.append("\n| virtual s per wall s (last hour) |");
        shown.forEach(cp -> sb.append(String.format(" %.0f |", cp.virtualPerWall)));
        for (String k : keys) {
            sb.append("\n| max ").append(k).append(" |");
            shown.forEach(cp -> sb.append(" ").append(cp.max.getOrDefault(k, 0)).append(" |"));
        }
        sb.append(String.format("%n%nAt the end: %d names down for over 24 h + reap interval known by nobody;"
                + " views exact %.0f s after churn and loss stopped; %d task failures; drops %s.%n",
                reaped, settleSeconds, c.time.taskFailures(), new java.util.TreeMap<>(drops())));
        sb.append(String.format("%,d lines logged (the last in soak-log-tail.txt).%n", logLines));
        // The same seed replays the same run: these figures then match to the last digit.
        sb.append(String.format("%nRun fingerprint: %d tasks, %s.%n", c.time.tasksRun(), c.network.stats()));
        return sb.toString();
    }

    /** Counts the lines written to it and keeps the last few. */
    private static final class LogTail extends OutputStream {
        private final int keep;
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private long count;

        LogTail(int keep) {
            this.keep = keep;
        }

        @Override
        public void write(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            lines.addLast(line.toString(StandardCharsets.UTF_8));
            line.reset();
            count++;
            if (lines.size() > keep) {
                lines.removeFirst();
            }
        }

        long count() {
            return count;
        }

        void writeTo(Path file) throws IOException {
            Files.write(file, lines, StandardCharsets.UTF_8);
        }
    }
}
