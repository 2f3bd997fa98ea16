package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Interner;
import dev.gossip.core.ProbeResult;
import dev.gossip.core.Timings;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.time.LoopFailures;
import dev.gossip.core.time.Periodic;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.IndirectPing;
import dev.gossip.core.wire.IpAddresses;
import dev.gossip.core.wire.Nack;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failure detector and membership state of one node: memberlist's node state machine
 * (alive / suspect / dead / left with incarnations and refutation, §5.1), the broadcast queue
 * and the periodic gossip. Probing lives in {@link Prober}, push/pull in {@link PushPullSync},
 * the packet format in {@link PacketLayer}.
 *
 * <p>Not thread-safe by design: every method runs on the node's serial {@link Scheduler}.
 */
public final class Memberlist {

    private static final Logger log = LoggerFactory.getLogger(Memberlist.class);
    private static final long UINT32 = 0xFFFF_FFFFL;

    final MemberlistConfig config;
    final Timings timings;
    final Scheduler scheduler;
    final GossipStats stats;
    final MembershipDelegate delegate;
    final PacketLayer packets;
    /** Stream encoding and decoding: thread-safe, used on the transport's threads too. */
    final StreamCodec streams;
    final Prober prober;
    final PushPullSync pushPull;
    final TransmitLimitedQueue broadcasts;
    /** Gossip, probe and push/pull rounds that threw: counted, and the loops carry on. */
    final LoopFailures loopFailures;

    private final Map<String, NodeState> nodeMap = new HashMap<>();
    /**
     * How many nodes of {@link #nodeMap} have each IP, for {@link #isMemberAddress} on the
     * transport's threads. Changed by one count per node added, moved or reaped, never rebuilt:
     * a mass join of thousands of nodes stays linear.
     */
    private final Map<InetAddress, Integer> addressCounts = new ConcurrentHashMap<>();
    /** Probe order: shuffled, and re-shuffled at every wrap-around. */
    final List<NodeState> nodes = new ArrayList<>();
    /** In reminder order ({@link #remindSuspect}): the next one to remind first. */
    private final Map<String, Suspicion> suspicions = new LinkedHashMap<>();
    /** A suspect reminder is scheduled; the loop runs only while we hold suspicions. */
    private boolean reminderScheduled;
    /** When we last answered a stale suspicion of us ({@link #answerStaleSuspicion}). */
    private long lastStaleAnswer = Long.MIN_VALUE / 2;
    private final Awareness awareness;
    private final Interner interner;
    /** An out-of-turn gossip round is scheduled ({@link #newsQueued()}). */
    private boolean eagerGossipPending;
    /** When the last gossip round sent, scheduler nanos. */
    private long lastBroadcastsNanos = Long.MIN_VALUE / 2;
    private final NodeState self;
    /** memberlist's uint32 incarnation, kept in [0, 2^32) and wrapping as Go's does. */
    private long incarnation;
    private boolean leaving;
    /** When the member limit may be logged again: one warning a minute, the rest only counted. */
    private long nextMemberLimitWarning = Long.MIN_VALUE;
    private static final long MEMBER_LIMIT_WARNING_NANOS = 60_000_000_000L;
    private boolean shutdown;
    /** A storm push/pull is running; when the last one began. */
    private boolean stormExchange;
    private long lastStormExchange = Long.MIN_VALUE / 2;
    /** When the queue was last storm-deep; storm push/pulls go on for STORM_TAIL probe intervals after. */
    private long lastStormSeen = Long.MIN_VALUE / 2;
    private static final int STORM_TAIL = 10;
    private final NameClaims nameClaims;

    /** The state transitions for the helpers, without making ours public. */
    private final NodeStateMachine stateMachine = new NodeStateMachine() {
        @Override
        public void aliveNode(Alive a, boolean bootstrap) {
            Memberlist.this.aliveNode(a, bootstrap);
        }

        @Override
        public void suspectNode(Accusation s) {
            Memberlist.this.suspectNode(s);
        }

        @Override
        public void suspectNode(Accusation s, InetSocketAddress from) {
            if (s.node().equals(config.name()) && s.incarnation() < self.incarnation) {
                answerStaleSuspicion(from);
            } else {
                Memberlist.this.suspectNode(s);
            }
        }

        @Override
        public void deadNode(Accusation d, Runnable onSent) {
            Memberlist.this.deadNode(d, onSent);
        }

        @Override
        public void ourNameDeadAt(byte[] addr, int port) {
            if (!Arrays.equals(addr, self.addr.getAddress()) || port != self.port) {
                nameClaims.heldDead();
            }
        }

        @Override
        public void ourNameSuspectAt(byte[] addr, int port, long incarnation) {
            InetAddress at = IpAddresses.toInet(addr);
            if (at != null && (!at.equals(self.addr) || port != self.port)) {
                nameClaims.suspectedElsewhere(new InetSocketAddress(at, port), incarnation);
            }
        }
    };

    private final Nodes nodeList = new Nodes() {
        @Override
        public List<NodeState> allNodes() {
            return Memberlist.this.allNodes();
        }

        @Override
        public List<NodeState> randomNodes(int k, Predicate<NodeState> filter) {
            return Memberlist.this.randomNodes(k, filter);
        }
    };

    /** The prober sends through the packet layer, so it comes after it: received probes find it here. */
    private final PacketLayer.Probes probes = new PacketLayer.Probes() {
        @Override
        public void handlePing(Ping p, InetSocketAddress from) {
            if (p.node().equals(config.name())) {
                nameClaims.heldHere();
            }
            prober.handlePing(p, from);
        }

        @Override
        public void handleIndirectPing(IndirectPing ind, InetSocketAddress from) {
            prober.handleIndirectPing(ind, from);
        }

        @Override
        public void handleAck(Ack ack) {
            prober.handleAck(ack);
        }

        @Override
        public void handleNack(Nack nack) {
            prober.handleNack(nack);
        }
    };

    public Memberlist(MemberlistConfig config, MembershipDelegate delegate, byte[] meta) {
        this.config = config;
        this.timings = config.timings();
        this.scheduler = config.scheduler();
        this.stats = config.stats();
        this.interner = config.interner();
        this.loopFailures = new LoopFailures(() -> stats.drop(DropReason.INTERNAL));
        this.delegate = delegate;
        this.awareness = new Awareness(timings.awarenessMaxMultiplier());
        this.broadcasts = new TransmitLimitedQueue(timings.retransmitMult(), nodes::size,
                timings.maxQueueDepth(), this::newsQueued);
        this.packets = new PacketLayer(timings, stats, config.transport(), config.keyring(), broadcasts,
                delegate, this::isMemberAddress, this::isShutdown, stateMachine, probes);
        this.streams = new StreamCodec(config.keyring(), timings.enableCompression(), delegate);
        this.self = new NodeState(config.name(), config.advertiseAddr(), config.advertisePort(),
                meta, config.vsn());
        this.prober = new Prober(self, config.advertisePort(), timings, scheduler, config.random(), awareness,
                stats, loopFailures, config.transport(), streams, packets, delegate, nodeList, this::resetNodes,
                this::suspectNode, this::isShutdown);
        this.pushPull = new PushPullSync(config.name(), scheduler, timings, stats, config.transport(),
                streams, delegate, nodeList, stateMachine, this::isShutdown, this::peerKnows);
        this.nameClaims = new NameClaims(config.name(), timings, scheduler, this::isShutdown, new NameClaims.Actions() {
            @Override
            public void ping(InetSocketAddress at, Consumer<Boolean> answered) {
                prober.pingByName(config.name(), at, NameClaims.PINGS, answered);
            }

            @Override
            public void announceLeft(long incarnation) {
                // Our alive first, at an incarnation above the earlier life's: a member holding us
                // here takes it and then ignores the leave; one holding the earlier life refuses
                // it (another address) and takes the leave.
                byte[] announcement = Packets.compound(List.of(
                        ourAlive().encode(),
                        Accusation.dead(incarnation, config.name(), config.name()).encode()));
                for (NodeState n : nodeMap.values()) {
                    if (n != self && (n.state == State.ALIVE || n.state == State.SUSPECT)) {
                        packets.sendMsg(n.address(), n, announcement);
                    }
                }
            }

            @Override
            public void refute(long incarnation) {
                Memberlist.this.refute(self, incarnation);
            }

            @Override
            public long incarnation() {
                return self.incarnation;
            }

            @Override
            public void conflict(NodeState claimant) {
                delegate.notifyConflict(self, claimant);
            }
        });
    }

    /** Declares ourselves alive (incarnation 1) and starts the periodic tasks, each staggered. */
    public void start() {
        nextIncarnation();
        Alive alive = new Alive(incarnation, config.name(), config.advertiseAddr().getAddress(),
                config.advertisePort(), self.meta, config.vsn());
        aliveNode(alive, true);
        Periodic.every(scheduler, config.random(), timings.gossipInterval().toNanos(), () -> !shutdown,
                loopFailures, "gossip", this::gossip);
        prober.start();
        schedulePushPull(config.random().nextLong(Math.max(1, timings.pushPullInterval().toNanos())));
    }

    private void schedulePushPull(long delay) {
        scheduler.schedule(delay, () -> {
            if (!shutdown) {
                try {
                    pushPull.periodic();
                } catch (RuntimeException e) {
                    loopFailures.record("push/pull", e);
                } finally {
                    schedulePushPull(pushPullScale(timings.pushPullInterval().toNanos(), nodes.size()));
                }
            }
        });
    }

    /** Push/pull less often in big clusters: ×(ceil(log2 N − log2 32) + 1) above 32 nodes (§8.4). */
    static long pushPullScale(long intervalNanos, int n) {
        if (n <= 32) {
            return intervalNanos;
        }
        double mult = Math.ceil(Math.log(n) / Math.log(2) - Math.log(32) / Math.log(2)) + 1.0;
        return (long) (mult * intervalNanos);
    }

    /** Joins through each seed by push/pull; reports how many answered. */
    public void join(List<InetSocketAddress> seeds, Consumer<Integer> done) {
        if (seeds.isEmpty()) {
            done.accept(0);
            return;
        }
        int[] pending = {seeds.size()};
        int[] ok = {0};
        for (InetSocketAddress seed : seeds) {
            pushPull.exchange(seed, true, success -> {
                if (success) {
                    ok[0]++;
                }
                if (--pending[0] == 0) {
                    done.accept(ok[0]);
                }
            });
        }
    }

    /**
     * Gracefully leaves: broadcasts {@code dead{From = me}} (peers mark us left) and calls
     * {@code done} once it has been sent enough times, or after {@code timeoutNanos}.
     */
    public void leave(long timeoutNanos, Runnable done) {
        if (leaving) {
            done.run();
            return;
        }
        leaving = true;
        if (self.state == State.DEAD || self.state == State.LEFT) {
            done.run();
            return;
        }
        boolean[] finished = {false};
        Runnable once = () -> {
            if (!finished[0]) {
                finished[0] = true;
                done.run();
            }
        };
        // Also when alone (memberlist.go:Leave): deadNode marks us left and tells the delegate,
        // so Serf's own member ends Left rather than Leaving; only the wait is skipped.
        Accusation d = Accusation.dead(self.incarnation, self.name, self.name);
        deadNode(d, once);
        if (anyAliveOther()) {
            scheduler.schedule(timeoutNanos, once);
        } else {
            once.run();
        }
    }

    public void shutdown() {
        shutdown = true;
        suspicions.values().forEach(Suspicion::cancel);
        suspicions.clear();
        prober.shutdown();
        broadcasts.clear();
    }

    boolean isShutdown() {
        return shutdown;
    }

    /**
     * New meta (Serf tags): bump the incarnation and gossip an alive (§5.4 UpdateNode). As in
     * memberlist, {@code aliveNode} stores the meta, so that it sees the change and tells the
     * delegate (Serf updates our own member and emits member-update locally too).
     */
    public void updateMeta(byte[] meta) {
        // Not self.meta = meta here: aliveNode compares the old meta with the new one to tell
        // Serf (member-update), which is how the local member's own view gets the new tags.
        nextIncarnation();
        Alive a = new Alive(incarnation, self.name, self.addr.getAddress(), self.port, meta,
                self.vsn);
        aliveNode(a, true);
    }

    // ---- node state machine (§5.1) ----

    /** Handles news that a node is alive; {@code bootstrap} is our own start-up or update. */
    void aliveNode(Alive a, boolean bootstrap) {
        boolean isLocal = a.node().equals(config.name());
        if (leaving && isLocal) {
            return;
        }
        if (!versionsWorkWithOurs(a.vsn())) {
            stats.drop(DropReason.BAD_VERSION);
            return;
        }
        NodeState state = nodeMap.get(a.node());
        if (state == null && !isLocal && nodeMap.size() >= timings.maxMembers()) {
            refuseOverLimit(a.node());
            return;
        }
        // Most alives repeat what we know: reuse the known address instead of building an
        // InetAddress for each (a hot path when a big cluster gossips N² alives while forming).
        InetAddress addr = state != null && Arrays.equals(state.addr.getAddress(), a.addr())
                ? state.addr : interner.intern(IpAddresses.toInet(a.addr()));
        if (addr == null) {
            stats.drop(DropReason.BAD_ADDRESS);
            return;
        }
        int port = a.port() == 0 ? config.advertisePort() : a.port();
        boolean updatesNode = false;
        if (state == null) {
            state = isLocal ? self : new NodeState(interner.intern(a.node()), addr, port,
                    interner.intern(a.meta()), interner.intern(a.vsn()));
            nodeMap.put(state.name, state);
            countAddress(state.addr);
            insertAtRandom(state);
        } else if (!state.addr.equals(addr) || state.port != port) {
            // state.go:aliveNode: a left node's name may move to another address at once, a dead
            // one's only after DeadNodeReclaimTime (0 = never) since it was declared dead.
            long reclaim = timings.deadNodeReclaimTime().toNanos();
            boolean canReclaim = reclaim > 0 && scheduler.nanoTime() - state.stateChangeNanos > reclaim;
            if (state.state == State.LEFT || (state.state == State.DEAD && canReclaim)) {
                log.info("Updating address for left or failed node {} from {}:{} to {}:{}", a.node(),
                        state.addr.getHostAddress(), state.port, addr.getHostAddress(), port);
                updatesNode = true;
            } else {
                log.warn("Conflicting address for {}: known at {}:{}, alive message from {}:{}",
                        a.node(), state.addr.getHostAddress(), state.port, addr.getHostAddress(), port);
                NodeState other = new NodeState(a.node(), addr, port, a.meta(), a.vsn());
                other.incarnation = a.incarnation();
                if (isLocal) {
                    nameClaims.claimed(other, a.incarnation());
                } else {
                    delegate.notifyConflict(state, other);
                }
                return;
            }
        }
        if (isLocal && !bootstrap) {
            nameClaims.heldHere();
        }
        if (a.incarnation() <= state.incarnation && !isLocal && !updatesNode) {
            return;
        }
        if (a.incarnation() < state.incarnation && isLocal) {
            return;
        }
        cancelSuspicion(a.node());
        State oldState = state.state;
        byte[] oldMeta = state.meta;
        if (!bootstrap && isLocal) {
            if (a.incarnation() == state.incarnation && Arrays.equals(a.meta(), state.meta)
                    && Arrays.equals(a.vsn(), state.vsn)) {
                return;
            }
            refute(state, a.incarnation());
            log.warn("Refuting an alive message for ourselves (incarnation {})", a.incarnation());
            return;
        }
        broadcasts.queue(a.node(), a.encode());
        state.incarnation = a.incarnation();
        state.meta = interner.intern(a.meta());
        if (!state.addr.equals(addr)) {
            uncountAddress(state.addr);
            countAddress(addr);
        }
        state.addr = addr;
        state.port = port;
        state.vsn = interner.intern(a.vsn());
        if (state.state != State.ALIVE) {
            state.state = State.ALIVE;
            state.stateChangeNanos = scheduler.nanoTime();
        }
        if (oldState == State.SUSPECT
                || (oldState == State.ALIVE && Arrays.equals(oldMeta, state.meta))) {
            // Also when only the incarnation moved (a refutation of a suspicion we never saw):
            // no join or update follows, and the layer above must not keep a stale incarnation.
            delegate.notifySuspect(state, false);
        }
        if (oldState == State.DEAD || oldState == State.LEFT) {
            delegate.notifyJoin(state);
        } else if (!Arrays.equals(oldMeta, state.meta)) {
            delegate.notifyUpdate(state);
        }
    }

    /**
     * state.go:aliveNode drops a vector with PMin = 0, PMax = 0 or PMin > PMax. We also drop one
     * no memberlist would send us: shorter than 6 bytes, a current version outside its own range,
     * or ranges that rule out talking to us (our PCur/DCur outside its ranges, or its outside
     * ours). Go keeps such a node (a missing vector reads as version 0), and then its
     * verifyProtocol refuses every push/pull while the node is listed (§6.2), so one forged alive
     * would stop anti-entropy and joins through this node.
     */
    boolean versionsWorkWithOurs(byte[] v) {
        if (v == null || v.length < 6 || v[0] == 0) {
            return false;
        }
        byte[] ours = self.vsn;
        return within(v[2], v[0], v[1]) && within(v[5], v[3], v[4])
                && within(v[2], ours[0], ours[1]) && within(v[5], ours[3], ours[4])
                && within(ours[2], v[0], v[1]) && within(ours[5], v[3], v[4]);
    }

    private static boolean within(byte value, byte min, byte max) {
        int x = value & 0xff;
        return (min & 0xff) <= x && x <= (max & 0xff);
    }

    void suspectNode(Accusation s) {
        NodeState state = nodeMap.get(s.node());
        if (state == null || s.incarnation() < state.incarnation) {
            return;
        }
        Suspicion timer = suspicions.get(s.node());
        if (timer != null) {
            if (timer.confirm(s.from())) {
                broadcasts.queue(s.node(), s.encode());
            }
            return;
        }
        if (state.state != State.ALIVE) {
            return;
        }
        if (state == self) {
            refute(state, s.incarnation());
            log.warn("Refuting a suspect message from {}", s.from());
            return;
        }
        broadcasts.queue(s.node(), s.encode());
        state.incarnation = s.incarnation();
        state.state = State.SUSPECT;
        long changeTime = scheduler.nanoTime();
        state.stateChangeNanos = changeTime;
        delegate.notifySuspect(state, true);

        int n = nodes.size();
        int k = timings.suspicionMult() - 2;
        if (n - 2 < k) {
            k = 0;
        }
        long min = Suspicion.minTimeoutNanos(timings.suspicionMult(), n,
                timings.probeInterval().toNanos());
        long max = timings.suspicionMaxTimeoutMult() * min;
        long accusedInc = s.incarnation();
        suspicions.put(s.node(), new Suspicion(scheduler, s.from(), k, min, max, () -> {
            NodeState current = nodeMap.get(s.node());
            if (current != null && current.state == State.SUSPECT
                    && current.stateChangeNanos == changeTime && !shutdown) {
                log.info("Marking {} as failed, suspect timeout reached", s.node());
                deadNode(Accusation.dead(accusedInc, s.node(), config.name()), null);
            }
        }));
        scheduleReminder();
    }

    /**
     * Lifeguard's buddy system tells a suspect that it is suspected only when our round robin
     * probes it: about every N probe intervals, later while awareness stretches the rounds. A
     * suspicion whose gossip never reached the suspect (all copies lost) can so outlive the loss
     * that caused it and end in a false failure. So while we hold suspicions, every probe
     * interval one suspect, in turn, gets our suspicion of it directly: a plain suspect message,
     * which it refutes as it would the gossiped one. One packet per interval, however many
     * suspicions (§5.2).
     */
    private void scheduleReminder() {
        if (!reminderScheduled && !shutdown) {
            reminderScheduled = true;
            scheduler.schedule(timings.probeInterval().toNanos(), this::remindSuspect);
        }
    }

    private void remindSuspect() {
        reminderScheduled = false;
        if (shutdown || suspicions.isEmpty()) {
            return;
        }
        try {
            String name = suspicions.keySet().iterator().next();
            suspicions.put(name, suspicions.remove(name)); // to the back: each suspect in turn
            NodeState n = nodeMap.get(name);
            if (n != null && n.state == State.SUSPECT) {
                stats.message("suspect-reminder");
                packets.sendRaw(n.address(), n, Accusation.suspect(n.incarnation, n.name, self.name).encode());
            }
        } catch (RuntimeException e) {
            loopFailures.record("suspect reminder", e);
        }
        scheduleReminder();
    }

    void deadNode(Accusation d, Runnable onSent) {
        NodeState state = nodeMap.get(d.node());
        if (state == null || d.incarnation() < state.incarnation) {
            return;
        }
        cancelSuspicion(d.node());
        if (state.state == State.DEAD || state.state == State.LEFT) {
            return;
        }
        if (state == self && !leaving) {
            refute(state, d.incarnation());
            log.warn("Refuting a dead message from {}", d.from());
            return;
        }
        broadcasts.queue(d.node(), d.encode(), onSent);
        state.incarnation = d.incarnation();
        state.state = d.node().equals(d.from()) ? State.LEFT : State.DEAD;
        state.stateChangeNanos = scheduler.nanoTime();
        delegate.notifyLeave(state);
    }

    /**
     * A member still suspects us at an incarnation we have already refuted: it missed every copy
     * of our alive, and a stale accusation is ignored (state.go:suspectNode), so its timer would
     * declare us failed. Our alive goes straight back to the sender, a member's address only
     * (no reflection towards strangers) and at most twice per probe interval: not once, which
     * in step with the accuser's reminders (§5.2) would skip every other one.
     */
    private void answerStaleSuspicion(InetSocketAddress from) {
        long now = scheduler.nanoTime();
        if (leaving || now - lastStaleAnswer < timings.probeInterval().toNanos() / 2
                || !isMemberAddress(from.getAddress())) {
            return;
        }
        lastStaleAnswer = now;
        stats.message("stale-suspicion-answered");
        packets.sendRaw(from, null, ourAlive().encode());
    }

    private Alive ourAlive() {
        return new Alive(self.incarnation, self.name, self.addr.getAddress(), self.port, self.meta, self.vsn);
    }

    /** Out-bids an accusation about ourselves with a higher incarnation (§5.1). */
    private void refute(NodeState me, long accusedInc) {
        // state.go:refute with uint32 arithmetic: an accusation at 2^32-1 is refuted with 0, which
        // peers holding 2^32-1 ignore (aliveNode: "<=" is stale), just as Go's would.
        nextIncarnation();
        if (accusedInc >= incarnation) {
            incarnation = (accusedInc + 1) & UINT32; // skipIncarnation(accusedInc - inc + 1)
        }
        me.incarnation = incarnation;
        awareness.applyDelta(1);
        broadcasts.queue(me.name, ourAlive().encode());
        delegate.notifySuspect(me, false); // our own Member shows the new incarnation
    }

    /** state.go:nextIncarnation: atomic.AddUint32, so 2^32-1 is followed by 0. */
    private void nextIncarnation() {
        incarnation = (incarnation + 1) & UINT32;
    }

    private void cancelSuspicion(String node) {
        Suspicion s = suspicions.remove(node);
        if (s != null) {
            s.cancel();
        }
    }

    private void countAddress(InetAddress addr) {
        addressCounts.merge(addr, 1, Integer::sum);
    }

    private void uncountAddress(InetAddress addr) {
        addressCounts.computeIfPresent(addr, (a, n) -> n == 1 ? null : n - 1);
    }

    /**
     * memberlist admits every new name; we stop at maxMembers, so that a stranger's flood of
     * invented alives (or one push/pull listing 100,000 of them) cannot grow the heap without
     * bound. Dead nodes are reaped after GossipToTheDeadTime, which makes room again.
     */
    private void refuseOverLimit(String name) {
        stats.drop(DropReason.MEMBER_LIMIT);
        long now = scheduler.nanoTime();
        if (now - nextMemberLimitWarning >= 0) {
            nextMemberLimitWarning = now + MEMBER_LIMIT_WARNING_NANOS;
            log.warn("Member limit of {} reached: not adding '{}' (counted as member-limit drops). If the"
                    + " cluster is really this large, raise Timings.maxMembers; if not, someone is inventing"
                    + " members: set an encryption keyring so that only key holders can join.",
                    timings.maxMembers(), name);
        }
    }

    private void insertAtRandom(NodeState state) {
        nodes.add(state);
        int i = config.random().nextInt(nodes.size());
        Collections.swap(nodes, i, nodes.size() - 1);
    }

    /** Drops nodes dead or left for longer than GossipToTheDeadTime and reshuffles (§5.1). */
    void resetNodes() {
        long now = scheduler.nanoTime();
        long keep = timings.gossipToTheDeadTime().toNanos();
        nodes.removeIf(n -> {
            boolean gone = n != self && (n.state == State.DEAD || n.state == State.LEFT)
                    && now - n.stateChangeNanos > keep;
            if (gone) {
                nodeMap.remove(n.name);
                uncountAddress(n.addr);
            }
            return gone;
        });
        Collections.shuffle(nodes, new java.util.Random(config.random().nextLong()));
    }

    // ---- gossip (§5.3) ----

    /**
     * A membership storm (a mass join or restart: {@code stormQueueDepth} broadcasts or more
     * waiting) is drained by gossip only as fast as packets carry it, each message up to
     * RetransmitMult × log10(N) times from every node. A push/pull moves a whole state in one
     * exchange, so while the queue is that deep, and for STORM_TAIL probe intervals after (the
     * news {@link #peerKnows} dropped must still reach the last few), this node adds one with a
     * random member every probe interval, one at a time. Local policy: peers see an ordinary
     * push/pull.
     */
    private void stormAntiEntropy() {
        int depth = timings.stormQueueDepth();
        if (depth == 0) {
            return;
        }
        long now = scheduler.nanoTime();
        long interval = timings.probeInterval().toNanos();
        if (broadcasts.size() >= depth) {
            lastStormSeen = now;
        } else if (now - lastStormSeen > STORM_TAIL * interval) {
            return;
        }
        if (stormExchange || now - lastStormExchange < interval) {
            return;
        }
        lastStormExchange = now;
        stormExchange = true;
        stats.message("push-pull-storm");
        pushPull.withRandomPeer(ok -> stormExchange = false);
    }

    /**
     * A push/pull peer had {@code name} alive at {@code incarnation}, the news we queued of it.
     * During a storm that is old news: a random member already had it, so most have, and the
     * push/pulls of the storm carry it to the rest. Drop it, so the queue makes room for news.
     */
    private void peerKnows(String name, long incarnation) {
        int depth = timings.stormQueueDepth();
        if (depth == 0 || broadcasts.size() < depth) {
            return;
        }
        NodeState n = nodeMap.get(name);
        if (n != null && n != self && n.state == State.ALIVE && n.incarnation == incarnation
                && broadcasts.remove(name)) {
            stats.message("broadcast-known");
        }
    }

    private void gossip() {
        stormAntiEntropy();
        sendBroadcasts();
    }

    /**
     * Gossips out of turn when news is queued at a node with little else to send
     * ({@code Timings.eagerGossipDepth}, §5.3): after the task that queued it, so that news
     * queued together leaves together, and at most once per quarter of a gossip interval.
     * Serf's queues report here too.
     */
    public void newsQueued() {
        int depth = timings.eagerGossipDepth();
        if (eagerGossipPending || shutdown || depth == 0 || broadcasts.size() > depth) {
            return;
        }
        eagerGossipPending = true;
        scheduler.execute(() -> {
            eagerGossipPending = false;
            if (!shutdown && scheduler.nanoTime() - lastBroadcastsNanos >= timings.gossipInterval().toNanos() / 4) {
                sendBroadcasts();
            }
        });
    }

    /** One gossip round's sending: what is queued, to {@code gossipNodes} random nodes. */
    private void sendBroadcasts() {
        long now = scheduler.nanoTime();
        lastBroadcastsNanos = now;
        long deadTime = timings.gossipToTheDeadTime().toNanos();
        List<NodeState> targets = randomNodes(timings.gossipNodes(), n -> switch (n.state) {
            case ALIVE, SUSPECT -> true;
            case DEAD -> now - n.stateChangeNanos <= deadTime;
            default -> false;
        });
        int avail = packets.maxPayload() - PacketLayer.COMPOUND_HEADER;
        for (NodeState target : targets) {
            List<byte[]> msgs = packets.broadcastsFor(PacketLayer.COMPOUND_OVERHEAD, avail);
            if (msgs.isEmpty()) {
                return;
            }
            if (msgs.size() == 1) {
                packets.sendRaw(target.address(), target, msgs.get(0));
            } else {
                // Small messages in a big UDP buffer can outnumber one compound's 255 parts.
                for (byte[] compound : Packets.compounds(msgs)) {
                    packets.sendRaw(target.address(), target, compound);
                }
            }
        }
    }

    /** Up to {@code k} distinct random nodes other than us that pass {@code filter}. */
    List<NodeState> randomNodes(int k, Predicate<NodeState> filter) {
        int n = nodes.size();
        List<NodeState> out = new ArrayList<>(k);
        for (int i = 0; i < 3 * n && out.size() < k; i++) {
            NodeState candidate = nodes.get(config.random().nextInt(n));
            if (candidate != self && filter.test(candidate) && !out.contains(candidate)) {
                out.add(candidate);
            }
        }
        return out;
    }

    boolean anyAliveOther() {
        for (NodeState n : nodes) {
            if (n != self && n.state != State.DEAD && n.state != State.LEFT) {
                return true;
            }
        }
        return false;
    }

    // ---- transport entry points (called on the node's thread) ----

    public void onPacket(byte[] packet, InetSocketAddress from) {
        packets.ingest(packet, from);
    }

    /**
     * Any thread, unlike the other entry points: the stream is decoded on the caller's thread
     * (the transport's) and only the decoded message is handed to the node's.
     */
    public void onStream(byte[] frame, InetSocketAddress from,
                         dev.gossip.core.transport.Transport.StreamReply reply) {
        pushPull.onStream(frame, from, reply);
    }

    // ---- accessors for the layer above and the helpers ----

    public NodeState self() {
        return self;
    }

    public NodeState node(String name) {
        return nodeMap.get(name);
    }

    List<NodeState> allNodes() {
        return nodes;
    }

    public int numNodes() {
        return nodes.size();
    }

    /**
     * Whether {@code address} is the IP of a node we know: alive, suspect, or dead or left and not
     * yet reaped (a failed node refuting or rejoining comes from the address it had); ourselves
     * too, so nodes sharing our host count. Unlike the rest of this class, safe on any thread: the
     * transport asks it for every inbound connection.
     */
    public boolean isMemberAddress(InetAddress address) {
        return addressCounts.containsKey(address);
    }

    public int awarenessScore() {
        return awareness.score();
    }

    public int broadcastQueueDepth() {
        return broadcasts.size();
    }

    /**
     * Pings a member directly, by name, once (memberlist's Ping): {@code answered} gets whether it
     * acked within the probe timeout, or false at once for a name we don't hold alive. No
     * indirect probes: this asks whether we can reach it, not whether it lives.
     */
    public void ping(String name, Consumer<Boolean> answered) {
        NodeState n = nodeMap.get(name);
        if (n == null || n == self || (n.state != State.ALIVE && n.state != State.SUSPECT)) {
            answered.accept(false);
            return;
        }
        prober.pingByName(name, n.address(), 1, answered);
    }

    /**
     * Probes a member now, out of turn, as a probe round would ({@link Prober#probeOutOfTurn}):
     * {@code result} hears how it ended, or {@link ProbeResult#NOT_PROBED} at once for a name we
     * don't hold alive or suspect.
     */
    public void probe(String name, Consumer<ProbeResult> result) {
        NodeState n = nodeMap.get(name);
        if (shutdown || n == null || n == self || (n.state != State.ALIVE && n.state != State.SUSPECT)) {
            result.accept(ProbeResult.NOT_PROBED);
            return;
        }
        prober.probeOutOfTurn(n, result, () -> {
            // Our suspicion is news the caller is waiting on: send it now, not at the next tick.
            if (!shutdown) {
                try {
                    gossip();
                } catch (RuntimeException e) {
                    loopFailures.record("gossip", e);
                }
            }
        });
    }

    /**
     * Adds the sizes of this layer's maps and queues to {@code out}, named after memberlist's
     * fields; for {@code GossipNode.internalSizes()}.
     */
    public void internalSizes(Map<String, Integer> out) {
        out.put("memberlist.nodes", nodeMap.size());
        out.put("memberlist.probeOrder", nodes.size());
        out.put("memberlist.addresses", addressCounts.size());
        out.put("memberlist.suspicions", suspicions.size());
        out.put("memberlist.broadcasts", broadcasts.size());
        out.put("memberlist.ackHandlers", prober.ackHandlers());
        out.put("memberlist.outOfTurnProbes", prober.outOfTurnProbes());
        out.put("memberlist.earlierLives", nameClaims.size());
    }

    /** Sends a user message straight to an address, outside the gossip (Serf query responses). */
    public void sendToAddress(InetSocketAddress to, byte[] userMessage) {
        packets.sendRaw(to, null, prefixUser(userMessage));
    }

    static byte[] prefixUser(byte[] message) {
        byte[] out = new byte[message.length + 1];
        out[0] = (byte) dev.gossip.core.wire.MessageType.USER;
        System.arraycopy(message, 0, out, 1, message.length);
        return out;
    }

}
