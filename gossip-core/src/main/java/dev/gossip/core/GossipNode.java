package dev.gossip.core;

import dev.gossip.core.cluster.Serf;
import dev.gossip.core.cluster.SerfConfig;
import dev.gossip.core.cluster.Snapshotter;
import dev.gossip.core.cluster.Tags;
import dev.gossip.core.membership.Memberlist;
import dev.gossip.core.membership.MemberlistConfig;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.QueryMessage;
import dev.gossip.core.wire.UserEventMessage;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Serf-compatible gossip node: the public face of the core.
 *
 * <pre>{@code
 * GossipNode node = GossipNode.create(config);
 * node.addListener(event -> System.out.println(event));
 * node.start();                       // binds, then joins the configured seeds
 * List<Member> members = node.members();
 * node.leave().join();                // graceful: others see "left", not "failed"
 * node.shutdown();
 * }</pre>
 *
 * <p>Thread-safe: every operation is handed to the node's serial scheduler, and reads return
 * immutable snapshots. Listeners run on that scheduler's thread and must not block.
 */
public final class GossipNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GossipNode.class);
    private static final Duration RETRY_JOIN_INTERVAL = Duration.ofSeconds(5);

    /**
     * The world a node runs in: its scheduler, transport and randomness. Real nodes get a thread,
     * Netty sockets and SecureRandom; simulated ones virtual time, a simulated network and a seed.
     *
     * @param onShutdown releases what the runtime owns (threads), run last
     * @param interner shares member data with other nodes in this JVM ({@link Interner#NONE} for
     *     a node on the network)
     */
    public record Runtime(Scheduler scheduler, Transport transport, RandomGenerator random,
                          Runnable onShutdown, Interner interner) {

        /** A runtime that shares nothing with other nodes. */
        public Runtime(Scheduler scheduler, Transport transport, RandomGenerator random, Runnable onShutdown) {
            this(scheduler, transport, random, onShutdown, Interner.NONE);
        }
    }

    private final GossipConfig config;
    /** Makes the runtime of each run: a stopped node starts again in a fresh one. */
    private final java.util.function.Supplier<Runtime> runtimes;
    private volatile Runtime runtime;
    private final GossipStats stats = new GossipStats();
    private final AtomicReference<Keyring> keyring;
    private final List<GossipListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Serf serf;
    private volatile Memberlist memberlist;
    /** Received datagrams on their way to the protocol thread; kept only for its size. */
    private volatile PacketHandoff handoff;
    /** This run's snapshot writer, when {@link GossipConfig#snapshotPath()} is set. */
    private volatile Snapshotter snapshot;
    private volatile boolean started;
    private volatile boolean shutdown;
    /** Serves the serf CLI while running, when the config asks for it. */
    private volatile dev.gossip.core.rpc.RpcServer rpcServer;

    /** @param runtimes makes a runtime for this node, which it may wire to the node's stats */
    private GossipNode(GossipConfig config, java.util.function.Function<GossipNode, Runtime> runtimes) {
        this.config = config;
        this.runtimes = () -> runtimes.apply(this);
        this.runtime = this.runtimes.get();
        this.keyring = new AtomicReference<>(config.keyring());
    }

    /** A node on the real network (Netty, one protocol thread); it can be stopped and started again. */
    public static GossipNode create(GossipConfig config) {
        return new GossipNode(config,
                node -> RealRuntime.create(config, node.stats, node::isMemberAddress));
    }

    /** A node in a runtime you provide (simulation, tests); it cannot be started again once stopped. */
    public static GossipNode create(GossipConfig config, Runtime runtime) {
        java.util.concurrent.atomic.AtomicBoolean used = new java.util.concurrent.atomic.AtomicBoolean();
        return new GossipNode(config, node -> {
            if (used.getAndSet(true)) {
                throw new IllegalStateException("Node " + config.nodeName() + " was created with one Runtime and"
                        + " cannot be restarted; create it with a Supplier<Runtime> instead");
            }
            return runtime;
        });
    }

    /** A node that gets a fresh runtime from {@code runtimes} for each start (restartable). */
    public static GossipNode create(GossipConfig config, java.util.function.Supplier<Runtime> runtimes) {
        return new GossipNode(config, node -> runtimes.get());
    }

    /**
     * Binds the transport, starts the protocol and joins the configured seeds (retrying in the
     * background while none answers, if so configured).
     *
     * A node that was shut down starts again in a fresh runtime, with its current tags and a new
     * member state: peers that saw it leave take it back (memberlist lets a left node return,
     * also from a new address), and any stale state they hold about it is refuted with a higher
     * incarnation.
     *
     * @return the outcome of the first join attempt: how many seeds answered (0 without seeds)
     * @throws dev.gossip.core.transport.TransportException when the address cannot be bound
     */
    public synchronized CompletableFuture<Integer> start() {
        if (started && !shutdown) {
            throw new IllegalStateException("Node " + config.nodeName() + " is already started");
        }
        Map<String, String> tags = tags();
        if (shutdown) {
            runtime = runtimes.get();
            serf = null;
            memberlist = null;
            shutdown = false;
        }
        started = true;
        Runtime runtime = this.runtime;
        PacketHandoff handoff = new PacketHandoff(runtime.scheduler()::execute, (packet, from) -> {
            Memberlist m = memberlist;
            if (m != null) {
                m.onPacket(packet, from);
            }
        });
        this.handoff = handoff;
        Transport.Receiver receiver = new Transport.Receiver() {
            @Override
            public void onPacket(byte[] packet, InetSocketAddress from) {
                // Bounded, members first: a flood is dropped and counted here instead of growing
                // the executor's queue or delaying members' pings.
                if (!handoff.offer(packet, from, isMemberAddress(from.getAddress()))) {
                    stats.packetReceived(packet.length);
                    stats.drop(DropReason.HANDOFF_QUEUE_FULL);
                }
            }

            @Override
            public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
                Memberlist m = memberlist;
                if (m != null) {
                    m.onStream(message, from, reply); // decodes here, on the transport's thread
                    return;
                }
                // Bound, but the node is still being built on its thread: queue behind it.
                runtime.scheduler().execute(() -> {
                    Memberlist built = memberlist;
                    if (built != null) {
                        built.onStream(message, from, reply);
                    } else {
                        reply.close();
                    }
                });
            }
        };
        InetSocketAddress bound;
        InetAddress advertise;
        try {
            runtime.transport().start(receiver);
            bound = runtime.transport().localAddress();
            advertise = advertiseAddress(bound);
            snapshot = openSnapshot();
        } catch (RuntimeException e) {
            // A caller who got this exception will not call shutdown(): free the thread and port.
            shutdown();
            throw e;
        }
        int advertisePort = config.advertisePort() != 0 ? config.advertisePort() : bound.getPort();
        CompletableFuture<Integer> joined = new CompletableFuture<>();
        runtime.scheduler().execute(() -> {
            Serf s = new Serf(new SerfConfig(config.nodeName(), tags, config.timings(),
                    runtime.scheduler(), runtime.random(), stats, keyring, this::dispatch,
                    this::shutdownAfterConflict, runtime.interner()));
            Memberlist m = new Memberlist(new MemberlistConfig(config.nodeName(), advertise,
                    advertisePort, MemberlistConfig.defaultVsn(), config.timings(), keyring::get,
                    runtime.scheduler(), runtime.transport(), runtime.random(), stats, runtime.interner()),
                    s, s.meta());
            if (snapshot != null) {
                s.useSnapshot(snapshot); // before memberlist starts: our own join is recorded too
            }
            serf = s;
            memberlist = m;
            m.start();
            s.start(m);
            log.info("Gossip node '{}' started on {} (advertising {}:{})", config.nodeName(), bound,
                    advertise.getHostAddress(), advertisePort);
            if (config.seeds().isEmpty()) {
                joined.complete(0);
            } else {
                joinLoop(config.seeds(), joined);
            }
        });
        if (config.rpc() != null) {
            try {
                rpcServer = dev.gossip.core.rpc.RpcServer.start(this, config.rpc());
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
        return joined;
    }

    /** Replays and opens the snapshot file, on the caller's thread; null without one. */
    private Snapshotter openSnapshot() {
        Path path = config.snapshotPath();
        if (path == null) {
            return null;
        }
        try {
            return Snapshotter.open(path, config.rejoinAfterLeave(), config.nodeName());
        } catch (IOException | RuntimeException e) {
            throw new SnapshotPathException(path, e);
        }
    }

    private void joinLoop(List<String> seeds, CompletableFuture<Integer> first) {
        resolveThenOnLoop(seeds, addrs -> joinOnLoop(addrs, true, n -> {
            first.complete(n);
            if (n == 0 && config.retryJoin() && !shutdown) {
                log.warn("Could not reach any seed of {}; retrying every {} s", seeds,
                        RETRY_JOIN_INTERVAL.toSeconds());
                runtime.scheduler().schedule(RETRY_JOIN_INTERVAL.toNanos(), () -> {
                    if (!shutdown && memberlist.numNodes() <= 1) {
                        joinLoop(seeds, first);
                    }
                });
            }
        }));
    }

    /**
     * Resolves {@code seeds} and hands the addresses to {@code then} on the protocol thread. A
     * lookup that may block (a name, not an IP literal; or a custom resolver) runs on a short-lived
     * thread of its own: the protocol thread answers pings and must never wait on DNS.
     */
    private void resolveThenOnLoop(List<String> seeds, java.util.function.Consumer<List<InetSocketAddress>> then) {
        boolean literalsOnly = config.seedResolver() == GossipConfig.DEFAULT_SEED_RESOLVER
                && seeds.stream().allMatch(SeedAddress::isLiteral);
        if (literalsOnly) {
            List<InetSocketAddress> addrs = resolveQuietly(seeds);
            runtime.scheduler().execute(() -> then.accept(addrs));
            return;
        }
        Runtime run = runtime;
        Thread lookup = new Thread(() -> {
            List<InetSocketAddress> addrs = resolveQuietly(seeds);
            run.scheduler().execute(() -> {
                if (!shutdown && runtime == run) {
                    then.accept(addrs);
                }
            });
        }, "gossip-seeds-" + config.nodeName());
        lookup.setDaemon(true);
        lookup.start();
    }

    private List<InetSocketAddress> resolveQuietly(List<String> seeds) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String seed : seeds) {
            try {
                out.addAll(config.seedResolver().resolve(seed, GossipConfig.DEFAULT_PORT));
            } catch (IllegalArgumentException e) {
                log.warn(e.getMessage());
            }
        }
        return out;
    }

    /** Joins through the given seeds; completes with how many answered. */
    public CompletableFuture<Integer> joinAsync(List<String> seeds) {
        return joinAsync(seeds, true);
    }

    /**
     * @param ignoreOld don't replay user events older than the join (Serf's default without
     *     {@code -replay})
     */
    public CompletableFuture<Integer> joinAsync(List<String> seeds, boolean ignoreOld) {
        requireStarted();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        resolveThenOnLoop(seeds, addrs -> joinOnLoop(addrs, ignoreOld, result::complete));
        return result;
    }

    /** Blocking {@link #joinAsync}; bounded by the TCP timeout. Not for simulation, nor from a listener. */
    public int join(List<String> seeds) {
        requireNotOnProtocolThread("join", "joinAsync()");
        return await(joinAsync(seeds), config.timings().tcpTimeout().plusSeconds(1));
    }

    private void joinOnLoop(List<InetSocketAddress> addrs, boolean ignoreOld,
                            java.util.function.IntConsumer done) {
        serf.beginJoin(ignoreOld);
        memberlist.join(addrs, n -> {
            serf.endJoin(ignoreOld, n);
            done.accept(n);
        });
    }

    /**
     * Leaves gracefully: peers see this node as {@code left}, not {@code failed}. Completes once
     * the leave has propagated (bounded by BroadcastTimeout + LeavePropagateDelay); call
     * {@link #shutdown()} afterwards.
     */
    public CompletableFuture<Void> leave() {
        requireStarted();
        CompletableFuture<Void> done = new CompletableFuture<>();
        runtime.scheduler().execute(() -> serf.leave(() -> done.complete(null)));
        return done;
    }

    /**
     * Moves a failed member to {@code left} cluster-wide, as {@code serf force-leave} does: a leave
     * intent sent on the member's behalf, so nobody keeps trying to reconnect to it until it is
     * reaped. With {@code prune} every member also forgets it at once. A member that is in fact
     * alive refutes the intent and stays. Completes once the intent has gone out; fails with a
     * {@link java.util.concurrent.TimeoutException} if it was still queued after BroadcastTimeout
     * (it may still go out later).
     */
    public CompletableFuture<Void> forceLeave(String member, boolean prune) {
        requireStarted();
        CompletableFuture<Void> done = new CompletableFuture<>();
        runtime.scheduler().execute(() -> serf.forceLeave(member, prune, sent -> {
            if (sent) {
                done.complete(null);
            } else {
                done.completeExceptionally(new java.util.concurrent.TimeoutException(
                        "force-leave of " + member + ": the leave intent was not sent within "
                                + config.timings().broadcastTimeout() + " (is the node overloaded?)"));
            }
        }));
        return done;
    }

    /** Stops at once, without telling anyone: peers will declare this node failed. */
    public synchronized void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        dev.gossip.core.rpc.RpcServer rpc = rpcServer;
        if (rpc != null) {
            rpc.close();
            rpcServer = null;
        }
        Runtime runtime = this.runtime;
        if (started) {
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            runtime.scheduler().execute(() -> {
                if (serf != null) {
                    serf.shutdown();
                    memberlist.shutdown();
                }
                stopped.complete(null);
            });
            runtime.transport().shutdown();
        }
        runtime.onShutdown().run();
        Snapshotter snap = snapshot;
        if (snap != null) {
            // After the runtime stopped (a real one lets serf.shutdown record the last clock first):
            // flushes and syncs what is queued; waiting on the protocol thread could stall it a second.
            snap.close(runtime.scheduler().inLoop());
            snapshot = null;
        }
        log.info("Gossip node '{}' stopped", config.nodeName());
    }

    private void shutdownAfterConflict() {
        runtime.scheduler().execute(this::shutdown);
    }

    /** Whether {@code address} is the IP of a node in the member list; for the transport's threads. */
    private boolean isMemberAddress(InetAddress address) {
        Memberlist m = memberlist;
        return m != null && m.isMemberAddress(address);
    }

    /** Leaves gracefully (waiting at most for the leave to propagate), then shuts down. */
    @Override
    public void close() {
        if (started && !shutdown) {
            requireNotOnProtocolThread("close", "leave() and shutdown() when it completes");
            try {
                leave().get(config.timings().leaveTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("Leave did not complete cleanly: {}", e.toString());
            }
        }
        shutdown();
    }

    // ---- membership ----

    /** Every known member (alive, leaving, left, failed), as an immutable snapshot. */
    public List<Member> members() {
        Serf s = serf;
        return s == null ? List.of() : s.members();
    }

    public Optional<Member> member(String name) {
        Serf s = serf;
        return s == null ? Optional.empty() : s.member(name);
    }

    /** This node as the cluster sees it (empty until started). */
    public Optional<Member> localMember() {
        return member(config.nodeName());
    }

    public String name() {
        return config.nodeName();
    }

    /**
     * The address the node is bound to, TCP and UDP alike, with the actual port when port 0 was
     * configured. What peers use is {@link #localMember()}'s address (the advertised one).
     *
     * @throws IllegalStateException before {@link #start()} has bound the transport
     */
    public InetSocketAddress localAddress() {
        return runtime.transport().localAddress();
    }

    /** Rises with every change of the member view: cheap change detection for caches. */
    public long membershipVersion() {
        Serf s = serf;
        return s == null ? 0 : s.version();
    }

    /**
     * Pings a member directly, as memberlist's {@code Ping} does: completes true if it answered
     * within the probe timeout, false if it didn't or isn't an alive member. No other member is
     * asked to help, so false can mean "alive, but not reachable from here" (a one-way or partial
     * partition), which is what a caller deciding whether to connect to it wants to know.
     */
    public CompletableFuture<Boolean> ping(String member) {
        requireStarted();
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        runtime.scheduler().execute(() -> memberlist.ping(member, result::complete));
        return result;
    }

    /**
     * Probes a member now, out of turn, because the caller has reason to think it is down (a call
     * to it failed to connect): the same direct ping, indirect pings and TCP ping as a probe round,
     * and if nothing acks, the member becomes suspect through the normal protocol, so the whole
     * cluster hears of it within a gossip round or two instead of when its turn comes. Nothing new
     * goes on the wire. Concurrent requests for one member share one probe.
     */
    public CompletableFuture<ProbeResult> probe(String member) {
        requireStarted();
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        runtime.scheduler().execute(() -> memberlist.probe(member, result::complete));
        return result;
    }

    /**
     * Serf's own figures, as {@code serf info} prints them under "serf": member counts, health
     * score, the Lamport clocks ({@code member_time}, {@code event_time}, {@code query_time}) and
     * broadcast queue depths. Read on the node's thread, so it completes after queued work.
     */
    public CompletableFuture<Map<String, String>> serfStats() {
        requireStarted();
        CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
        runtime.scheduler().execute(() -> result.complete(serf.stats()));
        return result;
    }

    /** Replaces this node's tags; others see member-update. Fails fast on oversize tags. */
    public void setTags(Map<String, String> tags) {
        Tags.encode(tags);
        requireStarted();
        runtime.scheduler().execute(() -> serf.setTags(tags));
    }

    /** Current tags of this node. */
    public Map<String, String> tags() {
        Serf s = serf;
        return s == null ? config.tags() : s.tags();
    }

    public void addListener(GossipListener listener) {
        listeners.add(listener);
    }

    public void removeListener(GossipListener listener) {
        listeners.remove(listener);
    }

    private void dispatch(GossipEvent event) {
        for (GossipListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("Gossip listener {} failed on {}", l, event, e);
            }
        }
    }

    // ---- events and queries ----

    /**
     * Sends a user event to every member.
     *
     * @throws IllegalArgumentException if name + payload exceed the user event size limit
     */
    public void sendUserEvent(String name, byte[] payload, boolean coalesce) {
        byte[] p = payload == null ? new byte[0] : payload.clone();
        int limit = config.timings().userEventSizeLimit();
        int encoded = new UserEventMessage(Long.MAX_VALUE, name, p, coalesce).encode().length;
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + p.length > limit || encoded > limit) {
            throw new IllegalArgumentException("User event '" + name + "' is too large: name + payload"
                    + " must fit in " + limit + " bytes encoded (userEventSizeLimit)");
        }
        requireStarted();
        runtime.scheduler().execute(() -> serf.userEvent(name, p, coalesce));
    }

    /**
     * Sends a query; answers arrive on the returned handle until its timeout.
     *
     * @throws IllegalArgumentException if the encoded query exceeds the query size limit
     */
    public QueryHandle query(String name, byte[] payload, QueryParams params) {
        requireStarted();
        requireNotOnProtocolThread("query", "queryAsync()");
        byte[] p = payload == null ? new byte[0] : payload.clone();
        int encoded = new QueryMessage(Long.MAX_VALUE, -1, new byte[16], 65535, config.nodeName(),
                null, 1, params.relayFactor(), Long.MAX_VALUE, name, p).encode().length;
        if (encoded > config.timings().querySizeLimit()) {
            throw new IllegalArgumentException("Query '" + name + "' is too large: it must fit in "
                    + config.timings().querySizeLimit() + " bytes encoded (querySizeLimit)");
        }
        return queryAsync(name, p, params).join();
    }

    /** Like {@link #query} but never blocks (for simulation, where the caller drives time). */
    public CompletableFuture<QueryHandle> queryAsync(String name, byte[] payload, QueryParams params) {
        requireStarted();
        CompletableFuture<QueryHandle> handle = new CompletableFuture<>();
        runtime.scheduler().execute(() -> {
            try {
                handle.complete(serf.query(name, payload, params));
            } catch (RuntimeException e) {
                handle.completeExceptionally(e);
            }
        });
        return handle;
    }

    // ---- observability ----

    /** RTT to {@code node} estimated from Vivaldi coordinates; empty until a probe has measured it. */
    public Optional<Duration> estimatedRtt(String node) {
        Serf s = serf;
        return s == null ? Optional.empty() : s.estimatedRtt(node);
    }

    /**
     * The Vivaldi coordinate of {@code node} (this node's own for its name); empty until a probe
     * has measured it. For tools that compute distances themselves ({@code serf rtt}).
     */
    public Optional<dev.gossip.core.coordinate.Coordinate> coordinate(String node) {
        Serf s = serf;
        return s == null ? Optional.empty() : s.coordinate(node);
    }

    public GossipStats stats() {
        return stats;
    }

    /** Lifeguard's local health score, 0 (healthy) to AwarenessMaxMultiplier − 1. */
    public int awarenessScore() {
        Memberlist m = memberlist;
        return m == null ? 0 : m.awarenessScore();
    }

    /** Broadcasts waiting in the queues (memberlist's and Serf's). */
    public int queueDepth() {
        Serf s = serf;
        Memberlist m = memberlist;
        return s == null || m == null ? 0 : s.queueDepth() + m.broadcastQueueDepth();
    }

    /**
     * The size of every internal map, list and queue that grows with the cluster or the traffic,
     * named after the upstream concept ("memberlist.nodes", "serf.members",
     * "serf.recentIntents", "memberlist.broadcasts", "memberlist.ackHandlers", ...), in a fixed
     * order; empty before {@link #start()}. For diagnostics and soak tests that check these stay
     * bounded. The sizes are read without hopping onto the node's thread: exact there (and in a
     * simulation), possibly a little stale from any other.
     */
    public Map<String, Integer> internalSizes() {
        Serf s = serf;
        Memberlist m = memberlist;
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (s == null || m == null) {
            return out;
        }
        m.internalSizes(out);
        PacketHandoff h = handoff;
        out.put("memberlist.handoff", h == null ? 0 : h.pending());
        s.internalSizes(out);
        return Collections.unmodifiableMap(out);
    }

    /** The current keyring (null when gossip is not encrypted). Key queries may have changed it. */
    public Keyring keyring() {
        return keyring.get();
    }

    /** The serf RPC server while the node runs with {@link GossipConfig#rpc()} set. */
    public Optional<dev.gossip.core.rpc.RpcServer> rpcServer() {
        return Optional.ofNullable(rpcServer);
    }

    public GossipConfig config() {
        return config;
    }

    public boolean isRunning() {
        return started && !shutdown;
    }

    /**
     * A blocking call from a listener waits for a task that only the thread it blocks could run:
     * it would never return. Fail at once, naming the non-blocking variant.
     */
    private void requireNotOnProtocolThread(String method, String instead) {
        if (runtime.scheduler().inLoop()) {
            throw new IllegalStateException(method + "() blocks until the gossip thread answers, and listeners run on"
                    + " that thread: from a listener, call " + instead);
        }
    }

    private void requireStarted() {
        if (!started || shutdown) {
            throw new IllegalStateException("Node " + config.nodeName() + " is not running");
        }
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + timeout, e);
        }
    }

    /** Advertise: the configured address, else the bind address, else a site-local IPv4 of this host. */
    private InetAddress advertiseAddress(InetSocketAddress bound) {
        try {
            if (config.advertiseAddress() != null && !config.advertiseAddress().isBlank()) {
                return InetAddress.getByName(config.advertiseAddress());
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Advertise address '" + config.advertiseAddress()
                    + "' does not resolve", e);
        }
        if (!bound.getAddress().isAnyLocalAddress()) {
            return bound.getAddress();
        }
        return firstPrivateAddress();
    }

    static InetAddress firstPrivateAddress() {
        try {
            InetAddress fallback = null;
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        if (a.isSiteLocalAddress()) {
                            return a;
                        }
                        if (fallback == null) {
                            fallback = a;
                        }
                    }
                }
            }
            return fallback != null ? fallback : InetAddress.getLoopbackAddress();
        } catch (SocketException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

}
