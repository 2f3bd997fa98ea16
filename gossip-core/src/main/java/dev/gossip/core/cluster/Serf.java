package dev.gossip.core.cluster;

import dev.gossip.core.DropReason;
import dev.gossip.core.wire.IpAddresses;
import dev.gossip.core.GossipEvent;
import dev.gossip.core.GossipEvent.MemberEventType;
import dev.gossip.core.Member;
import dev.gossip.core.MemberStatus;
import dev.gossip.core.Timings;
import dev.gossip.core.coordinate.Coordinate;
import dev.gossip.core.coordinate.CoordinateClient;
import dev.gossip.core.coordinate.CoordinateCodec;
import dev.gossip.core.coordinate.CoordinateConfig;
import dev.gossip.core.membership.MembershipDelegate;
import dev.gossip.core.membership.Memberlist;
import dev.gossip.core.membership.NodeState;
import dev.gossip.core.membership.TransmitLimitedQueue;
import dev.gossip.core.time.LoopFailures;
import dev.gossip.core.time.Periodic;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.wire.JoinIntent;
import dev.gossip.core.wire.LeaveIntent;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.QueryResponseMessage;
import dev.gossip.core.wire.RelayHeader;
import dev.gossip.core.wire.SerfMessageType;
import dev.gossip.core.wire.SerfPushPull;
import dev.gossip.core.wire.UserEventMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Serf layer (§7): member names, tags and status (alive / leaving / left / failed) ordered by
 * Lamport-stamped join and leave intents, user events, queries, reaping and reconnecting, and
 * Vivaldi coordinates. It is memberlist's delegate, exactly as in hashicorp/serf.
 *
 * <p>Runs on the node's thread; {@link #members()} and {@link #estimatedRtt} may be read from
 * anywhere.
 */
public final class Serf implements MembershipDelegate {

    private static final Logger log = LoggerFactory.getLogger(Serf.class);

    /** Where the node is in its life. */
    enum State { ALIVE, LEAVING, LEFT, SHUTDOWN }

    /** A join or leave intent about a node we don't know yet (§7.3). */
    private record Intent(boolean leave, long ltime, long seenNanos) {}

    final SerfConfig config;
    final Timings timings;
    final Scheduler scheduler;
    Memberlist memberlist;

    final LamportClock clock = new LamportClock();
    final LamportClock eventClock = new LamportClock();
    final LamportClock queryClock = new LamportClock();
    private long eventMinTime;
    /** Records membership and clocks for a restart; null without {@code snapshotPath}. */
    private Snapshotter snapshot;
    private int joinsIgnoringOldEvents;

    /**
     * Every member we know, ourselves included. Concurrent because other threads read each
     * member's published {@link MemberState#snapshot}; only the node's thread writes.
     */
    private final ConcurrentHashMap<String, MemberState> members = new ConcurrentHashMap<>();
    private final Map<String, Intent> recentIntents = new HashMap<>();
    private final List<MemberState> failedMembers = new ArrayList<>();
    private final List<MemberState> leftMembers = new ArrayList<>();

    final TransmitLimitedQueue intentBroadcasts;
    final TransmitLimitedQueue eventBroadcasts;
    final TransmitLimitedQueue queryBroadcasts;
    private final UserEventBuffer eventBuffer;
    final Queries queries;

    private final CoordinateClient coordinates;
    private volatile Coordinate ownCoordinate;
    private final ConcurrentHashMap<String, Coordinate> coordinateCache = new ConcurrentHashMap<>();
    /** The last ack payload and the coordinate it encodes. */
    private Coordinate ackCoordinate;
    private byte[] ackPayload;

    /** Replaced on the node's thread, read by {@code GossipNode.tags()} from any thread. */
    private volatile Map<String, String> tags;
    private State state = State.ALIVE;
    private volatile long version;

    /** The member table for queries, without making its accessors public. */
    private final Queries.Members queryMembers = new Queries.Members() {
        @Override
        public int memberCount() {
            return Serf.this.memberCount();
        }

        @Override
        public List<MemberState> aliveOthers() {
            return Serf.this.aliveOthers();
        }

        @Override
        public MemberState memberState(String name) {
            return Serf.this.memberState(name);
        }
    };

    public Serf(SerfConfig config) {
        this.config = config;
        this.timings = config.timings();
        this.scheduler = config.scheduler();
        this.tags = Map.copyOf(config.tags());
        int max = timings.maxQueueDepth();
        // Serf's news is gossiped as soon as memberlist's would be (Timings.eagerGossipDepth).
        Runnable queued = () -> {
            if (memberlist != null) {
                memberlist.newsQueued();
            }
        };
        this.intentBroadcasts = new TransmitLimitedQueue(timings.retransmitMult(), members::size, max, queued);
        this.eventBroadcasts = new TransmitLimitedQueue(timings.retransmitMult(), members::size, max, queued);
        this.queryBroadcasts = new TransmitLimitedQueue(timings.retransmitMult(), members::size, max, queued);
        this.eventBuffer = new UserEventBuffer(timings.eventBuffer());
        this.queries = new Queries(config.name(), timings, scheduler, config.random(), config.stats(),
                config.keyring(), queryClock, queryBroadcasts, () -> memberlist, queryMembers, this::tags,
                this::emit, config.onConflictLost(), () -> state == State.SHUTDOWN);
        this.coordinates = new CoordinateClient(CoordinateConfig.defaults(), config.random());
        this.ownCoordinate = coordinates.getCoordinate();
        clock.increment();
        eventClock.increment();
        queryClock.increment();
    }

    /** Meta to advertise: our tags. */
    public byte[] meta() {
        return Tags.encode(tags);
    }

    /**
     * Continues from a snapshot, before {@link #start}: the clocks go on past the recorded times
     * and events and queries up to them are not delivered again (serf.go:Create sets eventMinTime
     * and queryMinTime to the recorded time + 1).
     */
    public void useSnapshot(Snapshotter s) {
        snapshot = s;
        SnapshotReplay r = s.replayed();
        clock.witness(r.memberClock());
        eventClock.witness(r.eventClock());
        queryClock.witness(r.queryClock());
        eventMinTime = r.eventClock() + 1;
        queries.restore(r.queryClock() + 1, s::recordQuery);
    }

    /** Wires the failure detector below and starts the housekeeping timers. */
    public void start(Memberlist memberlist) {
        this.memberlist = memberlist;
        LoopFailures failures = new LoopFailures(() -> config.stats().drop(DropReason.INTERNAL));
        every(timings.reapInterval(), failures, "reap", this::reap);
        every(timings.reconnectInterval(), failures, "reconnect", this::reconnect);
        every(timings.queueCheckInterval(), failures, "queue-check", this::checkQueues);
        if (snapshot != null) {
            every(Snapshotter.FLUSH_INTERVAL, failures, "snapshot-clock", () -> snapshot.recordClock(clock.time()));
            new Rejoin(snapshot.replayed().rejoinOrder(config.name(), config.random()),
                    (addr, done) -> memberlist.join(List.of(addr), done::accept), scheduler::execute,
                    () -> state != State.ALIVE, i -> { }).start();
        }
    }

    private void every(Duration interval, LoopFailures failures, String name, Runnable task) {
        Periodic.every(scheduler, config.random(), interval.toNanos(), () -> state != State.SHUTDOWN,
                failures, name, task);
    }


    // ---- public operations (on the node's thread) ----

    /** Called before a join: events older than the cluster's are not replayed unless asked. */
    public void beginJoin(boolean ignoreOld) {
        if (ignoreOld) {
            joinsIgnoringOldEvents++;
        }
    }

    /** After a join: if any seed answered, announce ourselves with a join intent. */
    public void endJoin(boolean ignoreOld, int contacted) {
        if (ignoreOld) {
            joinsIgnoringOldEvents--;
        }
        if (contacted > 0) {
            broadcastJoin(clock.time());
        }
    }

    private void broadcastJoin(long ltime) {
        JoinIntent msg = new JoinIntent(ltime, config.name());
        clock.witness(ltime);
        handleJoinIntent(msg);
        intentBroadcasts.queue(null, msg.encode());
    }

    /**
     * Graceful leave (§7.3): leave intent, then memberlist's dead-from-self, then a short wait so
     * peers learn it from us (none when no peer is alive); {@code done} runs when we may shut down.
     */
    public void leave(Runnable done) {
        if (state != State.ALIVE) {
            done.run();
            return;
        }
        state = State.LEAVING;
        if (snapshot != null) {
            snapshot.leave();
        }
        LeaveIntent msg = new LeaveIntent(clock.time(), config.name(), false);
        clock.increment();
        handleLeaveIntent(msg);
        long timeout = timings.broadcastTimeout().toNanos();
        // serf.go:Leave stays up for LeavePropagateDelay to answer the probes of peers that have not
        // heard yet; with no peer alive nobody probes us, so a lone node leaves at once.
        Runnable afterIntent = once(() -> memberlist.leave(timeout, () ->
                scheduler.schedule(hasAliveMembers() ? timings.leavePropagateDelay().toNanos() : 0, () -> {
                    if (state == State.LEAVING) {
                        state = State.LEFT;
                    }
                    done.run();
                })));
        if (hasAliveMembers()) {
            intentBroadcasts.queue(null, msg.encode(), afterIntent);
            scheduler.schedule(timeout, afterIntent);
        } else {
            afterIntent.run();
        }
    }

    /**
     * Force-leave (serf {@code serf.go:forceLeave}): a leave intent on behalf of {@code node}, so
     * that a failed member moves to left everywhere and nobody tries to reconnect to it for the
     * reconnect timeout; with {@code prune} every member forgets it at once. An alive member that
     * hears this about itself refutes it. {@code done} gets true once the intent has gone out (or
     * at once when we have no alive peer), false if it is still queued after BroadcastTimeout.
     */
    public void forceLeave(String node, boolean prune, Consumer<Boolean> done) {
        LeaveIntent msg = new LeaveIntent(clock.time(), node, prune);
        clock.increment();
        handleLeaveIntent(msg);
        if (!hasAliveMembers()) {
            done.accept(true);
            return;
        }
        boolean[] reported = {false};
        Consumer<Boolean> once = sent -> {
            if (!reported[0]) {
                reported[0] = true;
                done.accept(sent);
            }
        };
        intentBroadcasts.queue(null, msg.encode(), () -> once.accept(true));
        scheduler.schedule(timings.broadcastTimeout().toNanos(), () -> once.accept(false));
    }

    private static Runnable once(Runnable r) {
        boolean[] ran = {false};
        return () -> {
            if (!ran[0]) {
                ran[0] = true;
                r.run();
            }
        };
    }

    public void shutdown() {
        if (snapshot != null && state != State.SHUTDOWN) {
            snapshot.recordClock(clock.time()); // serf snapshot.go:stream updates the clock on shutdown
        }
        state = State.SHUTDOWN;
        queries.shutdown();
        intentBroadcasts.clear();
        eventBroadcasts.clear();
        queryBroadcasts.clear();
    }

    /** Replaces our tags and gossips them (member-update on the other nodes). */
    public void setTags(Map<String, String> newTags) {
        byte[] meta = Tags.encode(newTags);
        tags = Map.copyOf(newTags);
        memberlist.updateMeta(meta);
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Sends a user event to the cluster (§7.7). */
    public void userEvent(String name, byte[] payload, boolean coalesce) {
        byte[] p = payload == null ? new byte[0] : payload;
        int size = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + p.length;
        if (size > timings.userEventSizeLimit()) {
            throw new IllegalArgumentException("User event '" + name + "' is " + size
                    + " bytes; the limit (name + payload) is " + timings.userEventSizeLimit());
        }
        UserEventMessage msg = new UserEventMessage(eventClock.time(), name, p, coalesce);
        byte[] raw = msg.encode();
        if (raw.length > timings.userEventSizeLimit()) {
            throw new IllegalArgumentException("Encoded user event '" + name + "' is " + raw.length
                    + " bytes; the limit is " + timings.userEventSizeLimit());
        }
        eventClock.increment();
        handleUserEvent(msg);
        eventBroadcasts.queue(null, raw);
    }

    /** Sends a query (§7.8); answers arrive on the handle until the timeout. */
    public dev.gossip.core.QueryHandle query(String name, byte[] payload, dev.gossip.core.QueryParams params) {
        return queries.send(name, payload, params);
    }

    // ---- memberlist delegate ----

    @Override
    public void notifyMsg(byte[] buf) {
        notifyMsg(buf, null);
    }

    @Override
    public void notifyMsg(byte[] buf, InetSocketAddress from) {
        if (buf.length == 0) {
            return;
        }
        int type = buf[0] & 0xff;
        MsgReader r = new MsgReader(buf, 1, buf.length - 1);
        try {
            boolean rebroadcast = false;
            TransmitLimitedQueue queue = intentBroadcasts;
            switch (type) {
                case SerfMessageType.LEAVE -> {
                    config.stats().message("serf-leave");
                    rebroadcast = handleLeaveIntent(LeaveIntent.decode(r));
                }
                case SerfMessageType.JOIN -> {
                    config.stats().message("serf-join");
                    rebroadcast = handleJoinIntent(JoinIntent.decode(r));
                }
                case SerfMessageType.USER_EVENT -> {
                    config.stats().message("user-event");
                    rebroadcast = handleUserEvent(UserEventMessage.decode(r));
                    queue = eventBroadcasts;
                }
                case SerfMessageType.QUERY -> {
                    config.stats().message("query");
                    rebroadcast = queries.handleQuery(QueryMessage.decode(r));
                    queue = queryBroadcasts;
                }
                case SerfMessageType.QUERY_RESPONSE -> {
                    config.stats().message("query-response");
                    queries.handleResponse(QueryResponseMessage.decode(r), from);
                }
                case SerfMessageType.RELAY -> {
                    config.stats().message("relay");
                    RelayHeader h = RelayHeader.decode(r);
                    byte[] inner = Arrays.copyOfRange(buf, 1 + r.position(), buf.length);
                    InetAddress dest = IpAddresses.toInet(h.destIp());
                    if (dest == null || inner.length == 0) {
                        throw new MalformedMessageException(DropReason.RELAY, "bad relay destination");
                    }
                    memberlist.sendToAddress(new InetSocketAddress(dest, h.destPort()), inner);
                }
                default -> throw new MalformedMessageException(DropReason.SERF_UNKNOWN_TYPE, "serf message type " + type);
            }
            if (rebroadcast) {
                queue.queue(null, buf.clone());
            }
        } catch (MalformedMessageException e) {
            config.stats().drop(e.reason());
            log.debug("Dropped a serf message: {}", e.getMessage());
        }
    }

    /**
     * Intents, then queries, then user events: the order of serf delegate.go:GetBroadcasts, so
     * that when room is short a query goes out before an event, as from a Go node (§7.1).
     */
    @Override
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>(intentBroadcasts.getBroadcasts(overhead, limit));
        int used = used(out, overhead);
        out.addAll(queryBroadcasts.getBroadcasts(overhead, limit - used));
        used = used(out, overhead);
        out.addAll(eventBroadcasts.getBroadcasts(overhead, limit - used));
        return out;
    }

    private static int used(List<byte[]> msgs, int overhead) {
        int n = 0;
        for (byte[] m : msgs) {
            n += m.length + overhead;
        }
        return n;
    }

    @Override
    public byte[] localState(boolean join) {
        Map<String, Long> status = new LinkedHashMap<>();
        List<String> left = new ArrayList<>();
        for (MemberState m : members.values()) {
            status.put(m.name, m.statusLTime);
            // A leaving member too (serf.go lists only left ones): as a mere status time, its
            // receiver reads the leave's time as a join, then ignores the leave itself (not newer)
            // and, once memberlist's leave comes, holds the member failed instead of left.
            if ((m.status == MemberStatus.LEFT && !m.rejoining) || m.status == MemberStatus.LEAVING) {
                left.add(m.name);
            }
        }
        return new SerfPushPull(clock.time(), status, left, eventClock.time(), eventBuffer.buckets(),
                queryClock.time()).encode();
    }

    @Override
    public RemoteState decodeRemoteState(byte[] buf) {
        if (buf.length == 0 || (buf[0] & 0xff) != SerfMessageType.PUSH_PULL) {
            config.stats().drop(DropReason.SERF_PUSHPULL);
            return join -> { };
        }
        try {
            SerfPushPull pp = SerfPushPull.decode(new MsgReader(buf, 1, buf.length - 1));
            return join -> mergeRemoteState(pp, join);
        } catch (MalformedMessageException e) {
            config.stats().drop(e.reason());
            return join -> { };
        }
    }

    private void mergeRemoteState(SerfPushPull pp, boolean join) {
        // serf.go:mergeRemoteState: "LTime > 0" on a uint64, i.e. any time but 0.
        if (pp.ltime() != 0) {
            clock.witness(pp.ltime() - 1);
        }
        if (pp.eventLTime() != 0) {
            eventClock.witness(pp.eventLTime() - 1);
        }
        if (pp.queryLTime() != 0) {
            queryClock.witness(pp.queryLTime() - 1);
        }
        // Left members first, one past their status time: the leave came after their join.
        java.util.Set<String> left = new java.util.HashSet<>(pp.leftMembers());
        for (String name : pp.leftMembers()) {
            handleLeaveIntent(new LeaveIntent(pp.statusLTimes().getOrDefault(name, 0L) + 1, name, false));
        }
        pp.statusLTimes().forEach((name, ltime) -> {
            if (!left.contains(name) && handleJoinIntent(new JoinIntent(ltime, name))
                    && name.equals(config.name())) {
                refuteStatusTime(ltime);
            }
        });
        if (join && joinsIgnoringOldEvents > 0 && LamportClock.compare(pp.eventLTime(), eventMinTime) > 0) {
            eventMinTime = pp.eventLTime();
        }
        for (SerfPushPull.EventBucket bucket : pp.events()) {
            for (SerfPushPull.Event e : bucket.events()) {
                handleUserEvent(new UserEventMessage(bucket.ltime(), e.name(), e.payload(), false));
            }
        }
    }

    @Override
    public byte[] ackPayload() {
        // Every ping we answer carries it; encode once per coordinate, not once per ack.
        Coordinate c = coordinates.getCoordinate();
        if (c != ackCoordinate) {
            ackPayload = CoordinateCodec.encode(c);
            ackCoordinate = c;
        }
        return ackPayload;
    }

    @Override
    public void notifyPingComplete(NodeState node, long rttNanos, byte[] payload) {
        config.stats().probeRtt(rttNanos);
        if (payload == null || payload.length == 0) {
            return;
        }
        try {
            Coordinate other = CoordinateCodec.decode(payload);
            ownCoordinate = coordinates.update(node.name(), other, Duration.ofNanos(rttNanos));
            coordinateCache.put(node.name(), other);
        } catch (MalformedMessageException e) {
            config.stats().drop(e.reason());
        } catch (IllegalArgumentException e) {
            log.debug("Rejected coordinate from {}: {}", node.name(), e.getMessage());
        }
    }

    @Override
    public void notifyJoin(NodeState n) {
        MemberState m = members.get(n.name());
        MemberStatus old = MemberStatus.NONE;
        if (m == null) {
            makeRoom();
            m = new MemberState(n.name());
            members.put(n.name(), m);
            Intent intent = recentIntents.remove(n.name());
            if (intent != null) {
                m.statusLTime = intent.ltime();
                if (intent.leave()) {
                    m.status = MemberStatus.LEAVING;
                }
            }
            if (m.status == null) {
                m.status = MemberStatus.ALIVE;
            }
        } else {
            old = m.status;
            m.status = MemberStatus.ALIVE;
            m.leaveTimeNanos = 0;
            Intent intent = recentIntents.remove(n.name());
            if (intent != null && LamportClock.compare(intent.ltime(), m.statusLTime) > 0) {
                m.statusLTime = intent.ltime();
                if (intent.leave()) {
                    m.status = MemberStatus.LEAVING;
                }
            }
        }
        copyNode(m, n);
        m.suspect = false;
        m.rejoining = false;
        if (old == MemberStatus.FAILED) {
            failedMembers.remove(m);
        } else if (old == MemberStatus.LEFT) {
            leftMembers.remove(m);
        }
        publish(m, MemberEventType.JOIN);
    }

    @Override
    public void notifyLeave(NodeState n) {
        MemberState m = members.get(n.name());
        if (m == null) {
            return;
        }
        MemberEventType type;
        switch (m.status) {
            case LEAVING -> {
                m.status = MemberStatus.LEFT;
                leftMembers.add(m);
                type = MemberEventType.LEAVE;
            }
            case ALIVE -> {
                // Even for memberlist's dead-from-itself: without its leave intent, serf.go:
                // handleNodeLeave calls a member failed; the intent, once here, makes it left.
                m.status = MemberStatus.FAILED;
                failedMembers.add(m);
                type = MemberEventType.FAILED;
            }
            default -> {
                return;
            }
        }
        m.leaveTimeNanos = scheduler.nanoTime();
        m.suspect = false;
        log.info("Member {}: {}", type == MemberEventType.LEAVE ? "left" : "failed", m.name);
        publish(m, type);
    }

    @Override
    public void notifyUpdate(NodeState n) {
        MemberState m = members.get(n.name());
        if (m == null) {
            return;
        }
        copyNode(m, n);
        publish(m, MemberEventType.UPDATE);
    }

    /**
     * Suspicion changes are not Serf events, but readers (load balancers) want them; a refutation
     * also moves the incarnation, which {@link Member#incarnation()} shows.
     */
    @Override
    public void notifySuspect(NodeState n, boolean suspect) {
        MemberState m = members.get(n.name());
        if (m != null && m.status == MemberStatus.ALIVE
                && (m.suspect != suspect || m.incarnation != n.incarnation())) {
            m.suspect = suspect;
            m.incarnation = n.incarnation();
            publish(m, MemberEventType.SUSPICION);
        }
    }

    @Override
    public void notifyConflict(NodeState existing, NodeState other) {
        if (!existing.name().equals(config.name())) {
            log.warn("Name conflict for '{}': {}:{} and {}:{}", existing.name(),
                    existing.addr().getHostAddress(), existing.port(), other.addr().getHostAddress(), other.port());
            return;
        }
        // serf.go:handleNodeConflict: the vote (and shutdown on losing it) only with
        // EnableNameConflictResolution; otherwise the conflict is just logged.
        boolean resolve = timings.enableNameConflictResolution();
        log.error("Node name conflict: {}:{} claims our name '{}'; names must be unique. {}",
                other.addr().getHostAddress(), other.port(), config.name(),
                resolve ? "Asking the cluster who it knows" : "Name conflict resolution is off");
        if (resolve) {
            queries.resolveConflict();
        }
    }

    private void copyNode(MemberState m, NodeState n) {
        m.addr = n.addr();
        m.port = n.port();
        m.vsn = n.vsn();
        m.incarnation = n.incarnation();
        try {
            m.tags = config.interner().intern(Tags.decode(n.meta()));
        } catch (MalformedMessageException e) {
            config.stats().drop(DropReason.BAD_TAGS);
            m.tags = Map.of();
        }
    }

    private void publish(MemberState m, MemberEventType type) {
        Member snapshot = m.toMember();
        m.snapshot = snapshot;
        version++;
        emit(new GossipEvent.MemberEvent(type, List.of(snapshot)));
    }

    void emit(GossipEvent event) {
        if (snapshot != null) {
            snapshot.record(event, clock.time());
        }
        try {
            config.listener().accept(event);
        } catch (RuntimeException e) {
            log.warn("Event listener failed on {}", event, e);
        }
    }

    // ---- intents (§7.3) ----

    private boolean handleJoinIntent(JoinIntent join) {
        clock.witness(join.ltime());
        MemberState m = members.get(join.node());
        if (m == null) {
            return upsertIntent(join.node(), false, join.ltime());
        }
        if (LamportClock.compare(join.ltime(), m.statusLTime) <= 0) {
            return false;
        }
        m.statusLTime = join.ltime();
        m.rejoining = m.status == MemberStatus.LEFT;
        if (m.status == MemberStatus.LEAVING) {
            m.status = MemberStatus.ALIVE;
            m.snapshot = m.toMember();
            version++;
        }
        return true;
    }

    private boolean handleLeaveIntent(LeaveIntent leave) {
        clock.witness(leave.ltime());
        MemberState m = members.get(leave.node());
        if (m == null) {
            return upsertIntent(leave.node(), true, leave.ltime());
        }
        if (LamportClock.compare(leave.ltime(), m.statusLTime) <= 0) {
            return false;
        }
        if (leave.node().equals(config.name()) && state == State.ALIVE) {
            // Somebody says we left; we did not. Refute with a fresh join intent.
            log.debug("Refuting an older leave intent");
            scheduler.execute(() -> broadcastJoin(clock.time()));
            return false;
        }
        m.rejoining = false;
        switch (m.status) {
            case ALIVE -> {
                m.statusLTime = leave.ltime();
                m.status = MemberStatus.LEAVING;
                m.snapshot = m.toMember();
                version++;
                if (leave.prune()) {
                    scheduler.schedule(timings.broadcastTimeout().plus(timings.leavePropagateDelay()).toNanos(),
                            () -> prune(m));
                }
                return true;
            }
            case FAILED -> {
                m.statusLTime = leave.ltime();
                m.status = MemberStatus.LEFT;
                failedMembers.remove(m);
                leftMembers.add(m);
                log.info("Member left: {} (after failing)", m.name);
                publish(m, MemberEventType.LEAVE);
                if (leave.prune()) {
                    prune(m);
                }
                return true;
            }
            case LEAVING, LEFT -> {
                m.statusLTime = leave.ltime();
                if (leave.prune()) {
                    prune(m);
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * A peer's push/pull held a newer status time for us than our own join. Push/pull lists a
     * leaving member by its status time only, so that peer may see us leaving (a leave we never
     * heard of, merged from another's left list): as for a leave intent about us, only a newer
     * join from us brings it back. Gossiped joins about us are not refuted: only a second process
     * under our name sends those, and the two would trade refutations at gossip speed (through
     * push/pull they still do, at its far slower pace).
     */
    private void refuteStatusTime(long raised) {
        if (state != State.ALIVE) {
            return;
        }
        log.debug("Refuting a newer status time for us");
        scheduler.execute(() -> {
            MemberState me = members.get(config.name());
            // Unless a join of ours since (the one ending a join, say) already out-dates it.
            if (state == State.ALIVE && me != null && me.statusLTime == raised) {
                broadcastJoin(clock.time());
            }
        });
    }

    private boolean upsertIntent(String node, boolean leave, long ltime) {
        Intent existing = recentIntents.get(node);
        if (existing != null && LamportClock.compare(existing.ltime(), ltime) >= 0) {
            return false;
        }
        recentIntents.put(node, new Intent(leave, ltime, scheduler.nanoTime()));
        return true;
    }

    // ---- user events (§7.7) ----

    private boolean handleUserEvent(UserEventMessage msg) {
        eventClock.witness(msg.ltime());
        if (LamportClock.compare(msg.ltime(), eventMinTime) < 0) {
            return false;
        }
        if (LamportClock.outsideWindow(msg.ltime(), eventClock.time(), eventBuffer.size())) {
            return false;
        }
        if (!eventBuffer.add(msg.ltime(), msg.name(), msg.payload())) {
            return false;
        }
        // A copy: the buffered array is re-sent in push/pull, so listeners must not be able to change it.
        emit(new GossipEvent.UserEvent(msg.ltime(), msg.name(),
                msg.payload() == null ? new byte[0] : msg.payload().clone(), msg.cc()));
        return true;
    }

    // ---- housekeeping (§7.11) ----

    private void reap() {
        long now = scheduler.nanoTime();
        reapList(failedMembers, now, timings.reconnectTimeout().toNanos());
        reapList(leftMembers, now, timings.tombstoneTimeout().toNanos());
        long intentTimeout = timings.recentIntentTimeout().toNanos();
        recentIntents.values().removeIf(i -> now - i.seenNanos() > intentTimeout);
    }

    private void reapList(List<MemberState> list, long now, long timeout) {
        for (MemberState m : new ArrayList<>(list)) {
            if (now - m.leaveTimeNanos > timeout) {
                list.remove(m);
                erase(m);
            }
        }
    }

    /**
     * Keeps the member map within maxMembers. memberlist admits no more than that many nodes, but
     * we remember failed and left members long after it forgets them (ReconnectTimeout and
     * TombstoneTimeout, 24 h), so a stream of invented members that fail would pile up here: the
     * longest failed, else the longest left, is reaped early to make room.
     */
    private void makeRoom() {
        if (members.size() < timings.maxMembers()) {
            return;
        }
        List<MemberState> oldest = !failedMembers.isEmpty() ? failedMembers : leftMembers;
        if (!oldest.isEmpty()) {
            prune(oldest.get(0));
        }
    }

    private void prune(MemberState m) {
        failedMembers.remove(m);
        leftMembers.remove(m);
        erase(m);
    }

    private void erase(MemberState m) {
        if (members.remove(m.name) == null) {
            return;
        }
        version++;
        coordinates.forgetNode(m.name);
        coordinateCache.remove(m.name);
        log.info("Member reaped: {}", m.name);
        emit(new GossipEvent.MemberEvent(MemberEventType.REAP, List.of(m.toMember())));
    }

    /** Occasionally re-join a failed member, so a healed partition merges again (§7.11). */
    private void reconnect() {
        int failed = failedMembers.size();
        if (failed == 0) {
            return;
        }
        int alive = members.size() - failed - leftMembers.size();
        double p = alive <= 0 ? 1.0 : (double) failed / alive;
        if (config.random().nextDouble() > p) {
            return;
        }
        MemberState m = failedMembers.get(config.random().nextInt(failed));
        log.debug("Attempting reconnect to {} {}:{}", m.name, m.addr.getHostAddress(), m.port);
        memberlist.join(List.of(new InetSocketAddress(m.addr, m.port)), n -> { });
    }

    private void checkQueues() {
        int max = timings.maxQueueDepth();
        for (TransmitLimitedQueue q : List.of(intentBroadcasts, eventBroadcasts, queryBroadcasts)) {
            if (q.size() >= 128) {
                log.warn("Broadcast queue depth: {}", q.size());
            }
            q.prune(max);
        }
    }

    /**
     * The figures {@code serf info} prints under "serf" (serf.go:Stats), as strings in the same
     * format. Call on the node's thread.
     */
    public Map<String, String> stats() {
        Map<String, String> stats = new LinkedHashMap<>();
        stats.put("members", Integer.toString(members.size()));
        stats.put("failed", Integer.toString(failedMembers.size()));
        stats.put("left", Integer.toString(leftMembers.size()));
        stats.put("health_score", Integer.toString(memberlist.awarenessScore()));
        stats.put("member_time", Long.toUnsignedString(clock.time()));
        stats.put("event_time", Long.toUnsignedString(eventClock.time()));
        stats.put("query_time", Long.toUnsignedString(queryClock.time()));
        stats.put("intent_queue", Integer.toString(intentBroadcasts.size()));
        stats.put("event_queue", Integer.toString(eventBroadcasts.size()));
        stats.put("query_queue", Integer.toString(queryBroadcasts.size()));
        stats.put("encrypted", Boolean.toString(config.keyring().get() != null));
        stats.put("coordinate_resets", Long.toString(coordinates.stats().resets()));
        return stats;
    }

    // ---- views for other threads ----

    /** An immutable snapshot of every known member (alive, leaving, left and failed). */
    public List<Member> members() {
        List<Member> out = new ArrayList<>(members.size());
        for (MemberState m : members.values()) {
            Member snapshot = m.snapshot;
            if (snapshot != null) { // null only while the node's thread is adding it
                out.add(snapshot);
            }
        }
        return Collections.unmodifiableList(out);
    }

    public Optional<Member> member(String name) {
        MemberState m = members.get(name);
        return m == null ? Optional.empty() : Optional.ofNullable(m.snapshot);
    }

    /** Rises on every change of the member view. */
    public long version() {
        return version;
    }

    /**
     * The Vivaldi coordinate of {@code node} as last seen in a probe ack, or our own for our name
     * (serf.go:GetCachedCoordinate, which the {@code get-coordinate} RPC and {@code serf rtt} use).
     */
    public Optional<Coordinate> coordinate(String node) {
        return Optional.ofNullable(node.equals(config.name()) ? ownCoordinate : coordinateCache.get(node));
    }

    /** RTT between us and {@code node} estimated from Vivaldi coordinates, once we have one. */
    public Optional<Duration> estimatedRtt(String node) {
        Coordinate other = coordinateCache.get(node);
        Coordinate self = ownCoordinate;
        if (other == null || self == null || !self.isCompatibleWith(other)) {
            return Optional.empty();
        }
        return Optional.of(self.distanceTo(other));
    }

    public int queueDepth() {
        return intentBroadcasts.size() + eventBroadcasts.size() + queryBroadcasts.size();
    }

    /**
     * Adds the sizes of this layer's maps, lists and queues to {@code out}, named after serf's
     * fields; for {@code GossipNode.internalSizes()}.
     */
    public void internalSizes(Map<String, Integer> out) {
        out.put("serf.members", members.size());
        out.put("serf.failedMembers", failedMembers.size());
        out.put("serf.leftMembers", leftMembers.size());
        out.put("serf.recentIntents", recentIntents.size());
        out.put("serf.coordinateCache", coordinateCache.size());
        out.put("serf.latencyFilters", coordinates.trackedNodes());
        out.put("serf.intentBroadcasts", intentBroadcasts.size());
        out.put("serf.eventBroadcasts", eventBroadcasts.size());
        out.put("serf.queryBroadcasts", queryBroadcasts.size());
        out.put("serf.eventBuffer", eventBuffer.events());
        out.put("serf.queryBuffer", queries.seenQueryIds());
        out.put("serf.pendingQueries", queries.pendingQueries());
    }

    // ---- for Queries ----

    boolean hasAliveMembers() {
        for (MemberState m : members.values()) {
            if (m.status == MemberStatus.ALIVE && !m.name.equals(config.name())) {
                return true;
            }
        }
        return false;
    }

    /** Every member we know, whatever its status, ourselves included (serf's Members()). */
    int memberCount() {
        return members.size();
    }

    MemberState memberState(String name) {
        return members.get(name);
    }

    List<MemberState> aliveOthers() {
        List<MemberState> out = new ArrayList<>();
        for (MemberState m : members.values()) {
            if (m.status == MemberStatus.ALIVE && !m.name.equals(config.name())) {
                out.add(m);
            }
        }
        return out;
    }

    State state() {
        return state;
    }

}
