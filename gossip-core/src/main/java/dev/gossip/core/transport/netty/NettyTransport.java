package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.transport.TransportException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Transport}: UDP and TCP on one port (memberlist's default is {@value
 * #DEFAULT_PORT}), on Netty's NIO transport.
 *
 * <p>UDP is read on a single-thread event loop of its own, TCP (inbound streams and outbound
 * requests) on a group of {@link Builder#ioThreads} threads or a shared one: probe acks are timed,
 * so a flood of connections busy framing must not delay them into false suspicions.
 *
 * <p>Callbacks ({@link Transport.Receiver} and {@link Transport.StreamCallback}) run on Netty event
 * loop threads and must not block; the node hands them to its own scheduler. A request that cannot
 * even be attempted (transport not running, unresolved address) fails on the calling thread.
 * Once {@link #shutdown()} has begun no callback is invoked, so requests still in flight then
 * simply never complete.
 *
 * <p>{@link #start} and {@link #shutdown} block briefly and must not be called on an event loop.
 * A transport starts once; after a failed start or a shutdown, build a new one.
 */
public final class NettyTransport implements Transport {

    /** memberlist's and Serf's default gossip port. */
    public static final int DEFAULT_PORT = 7946;

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

    /** Larger than any UDP payload (65,507 bytes), so no datagram is ever cut short. */
    private static final int MAX_DATAGRAM_BYTES = 65_536;
    /** memberlist asks for 2 MiB of UDP receive buffer to ride out bursts; the OS may give less. */
    private static final int UDP_RECEIVE_BUFFER_BYTES = 2 * 1024 * 1024;
    private static final long SHUTDOWN_WAIT_MILLIS = 2_000;

    private enum State { NEW, STARTING, RUNNING, STOPPED }

    private final InetSocketAddress bindAddress;
    private final StreamFramer framer;
    private final int maxStreamBytes;
    private final int maxInboundStreams;
    private final int maxInboundStreamsPerSource;
    private final int memberStreamReserve;
    private final Predicate<InetAddress> memberAddress;
    private final long streamTimeoutNanos;
    private final EventLoopGroup sharedGroup;
    private final int ioThreads;
    private final String name;

    private final TransportCounters counters;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    /** Open streams, both directions, so that shutdown can close them on a shared group too. */
    private final Set<Channel> streams = ConcurrentHashMap.newKeySet();

    /** TCP: the server socket, inbound streams, outbound requests and their deadlines. */
    private volatile EventLoopGroup group;
    /** UDP only, always owned. */
    private volatile EventLoopGroup udpGroup;
    private volatile Channel tcp;
    private volatile Channel udp;
    private volatile InetSocketAddress localAddress;
    private volatile InboundStreamInitializer inbound;

    private NettyTransport(Builder b) {
        this.bindAddress = b.bindAddress;
        this.framer = b.framer;
        this.maxStreamBytes = b.maxStreamBytes;
        this.maxInboundStreams = b.maxInboundStreams;
        this.maxInboundStreamsPerSource = b.maxInboundStreamsPerSource;
        // Without a way to tell members, a reserve would only be slots nobody can take.
        this.memberStreamReserve = b.memberAddress != null ? b.memberStreamReserve : 0;
        this.memberAddress = b.memberAddress != null ? b.memberAddress : address -> false;
        this.streamTimeoutNanos = b.streamTimeout.toNanos();
        this.sharedGroup = b.eventLoopGroup;
        this.ioThreads = b.ioThreads;
        this.name = b.name;
        this.counters = new TransportCounters(b.dropListener);
    }

    /** @return a builder; only {@link Builder#framer} is required */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void start(Receiver receiver) throws TransportException {
        Objects.requireNonNull(receiver, "receiver");
        if (!state.compareAndSet(State.NEW, State.STARTING)) {
            throw new IllegalStateException(
                    "Transport " + name + " was started or shut down before; build a new one");
        }
        Receiver guarded = new GuardedReceiver(receiver, this::isStopped);
        EventLoopGroup g = sharedGroup != null ? sharedGroup : new MultiThreadIoEventLoopGroup(
                ioThreads, new DefaultThreadFactory("gossip-netty-" + name, true),
                NioIoHandler.newFactory());
        group = g;
        EventLoopGroup u = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("gossip-netty-" + name + "-udp", true),
                NioIoHandler.newFactory());
        udpGroup = u;
        inbound = new InboundStreamInitializer(
                new StreamSlots(maxInboundStreams, maxInboundStreamsPerSource, memberStreamReserve),
                memberAddress, framer, maxStreamBytes, streamTimeoutNanos, guarded, counters,
                this::track);
        SharedPortBinder.Bound bound;
        try {
            bound = SharedPortBinder.bind(serverBootstrap(g, inbound), datagramBootstrap(u, guarded),
                    bindAddress);
        } catch (RuntimeException e) {
            state.set(State.STOPPED);
            // Wait: NIO frees a closed socket's port only when its selector lets go of it.
            awaitAll(shutdownOwnedGroups(0), shutdownDeadline());
            throw e;
        }
        tcp = bound.tcp();
        udp = bound.udp();
        localAddress = bound.localAddress();
        if (!state.compareAndSet(State.STARTING, State.RUNNING)) {
            // shutdown() ran while we were binding and found nothing to close yet.
            tcp.close();
            udp.close();
            shutdownOwnedGroups(0);
            throw new IllegalStateException("Transport " + name + " was shut down while starting");
        }
        log.debug("Transport {} listening on {} (TCP and UDP)", name, localAddress);
    }

    private static ServerBootstrap serverBootstrap(EventLoopGroup g,
                                                   InboundStreamInitializer inbound) {
        return new ServerBootstrap()
                .group(g)
                .channel(NioServerSocketChannel.class)
                // Lets a restarted node rebind while its old connections sit in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(inbound);
    }

    private Bootstrap datagramBootstrap(EventLoopGroup g, Receiver receiver) {
        // No SO_REUSEADDR here: on Linux it would let two nodes share one UDP port silently.
        return new Bootstrap()
                .group(g)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES))
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER_BYTES)
                .handler(new PacketHandler(receiver, counters));
    }

    private void track(Channel channel) {
        streams.add(channel);
        channel.closeFuture().addListener(closed -> streams.remove(channel));
        if (isStopped()) {
            channel.close(); // opened while shutdown was closing the others
        }
    }

    private boolean isStopped() {
        return state.get() == State.STOPPED;
    }

    /** @throws IllegalStateException before {@link #start} has succeeded */
    @Override
    public InetSocketAddress localAddress() {
        InetSocketAddress bound = localAddress;
        if (bound == null) {
            throw new IllegalStateException("Transport " + name + " is not bound yet");
        }
        return bound;
    }

    /**
     * Sends from the bound UDP port, so the peer sees our gossip address as the source. Failures
     * (not running, packet too large, no route) are counted and logged at debug, never thrown.
     * {@code packet} is not copied: do not change it afterwards.
     */
    @Override
    public void sendPacket(InetSocketAddress to, byte[] packet) {
        Channel channel = udp;
        if (channel == null || state.get() != State.RUNNING) {
            counters.drop(TransportDrop.SEND_FAILURE);
            log.debug("Not sending a packet to {}: transport {} is not running", to, name);
            return;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), to))
                .addListener(sent -> {
                    if (sent.isSuccess()) {
                        counters.packetSent(packet.length);
                    } else {
                        counters.drop(TransportDrop.SEND_FAILURE);
                        log.debug("Sending {} bytes to {} failed", packet.length, to, sent.cause());
                    }
                });
    }

    /**
     * Connects from an ephemeral port, as memberlist does. {@code message} is not copied: do not
     * change it afterwards. Failures: {@link TimeoutException} when {@code timeoutNanos} passes,
     * otherwise the I/O error (connection refused, reset, reply oversize or malformed).
     */
    @Override
    public void request(InetSocketAddress to, byte[] message, boolean expectReply,
                        long timeoutNanos, StreamCallback callback) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(callback, "callback");
        OutboundRequest request = new OutboundRequest(to, callback, this::isStopped, counters);
        EventLoopGroup g = group;
        if (g == null || state.get() != State.RUNNING) {
            request.fail(new IllegalStateException("Transport " + name + " is not running"),
                    TransportDrop.SEND_FAILURE);
            return;
        }
        if (to.isUnresolved()) {
            // Resolving here would block an event loop on DNS; the node deals in resolved addresses.
            request.fail(new UnknownHostException(to.getHostString()),
                    TransportDrop.SEND_FAILURE);
            return;
        }
        counters.streamOut();
        long timeout = Math.max(1, timeoutNanos);
        try {
            request.deadline(g.schedule(() -> request.fail(new TimeoutException("No reply from "
                    + to + " within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms"),
                    TransportDrop.TIMEOUT), timeout, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            request.fail(e, TransportDrop.SEND_FAILURE); // group shutting down
            return;
        }
        int connectMillis = (int) Math.min(Integer.MAX_VALUE,
                Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout)));
        ChannelFuture connect = new Bootstrap()
                .group(g)
                .channel(NioSocketChannel.class)
                .disableResolver()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new OutboundStreamInitializer(counters, request, new FrameBuffer(framer, maxStreamBytes)))
                .connect(to);
        request.attach(connect.channel());
        track(connect.channel());
        connect.addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                request.fail(asTimeout(connected.cause()), TransportDrop.SEND_FAILURE);
                return;
            }
            connected.channel().writeAndFlush(Unpooled.wrappedBuffer(message))
                    .addListener((ChannelFuture written) -> {
                        if (!written.isSuccess()) {
                            request.fail(written.cause(), TransportDrop.SEND_FAILURE);
                        } else if (!expectReply) {
                            request.succeed(null);
                        }
                    });
        });
    }

    /** The connect timeout equals the deadline; report it as the deadline would have. */
    private static Throwable asTimeout(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            TimeoutException timeout = new TimeoutException(cause.getMessage());
            timeout.initCause(cause);
            return timeout;
        }
        return cause;
    }

    /**
     * Closes both sockets and all open streams, the UDP event loop, and the TCP event loop group if
     * this transport created it, waiting up to about two seconds. Idempotent. With an owned group
     * the port is free when this returns; with a shared group NIO frees the TCP port on the loop's
     * next select, moments later.
     */
    @Override
    public void shutdown() {
        State previous = state.getAndSet(State.STOPPED);
        if (previous == State.STOPPED || previous == State.NEW) {
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel channel : new Channel[] {tcp, udp}) {
            if (channel != null) {
                closing.add(channel.close());
            }
        }
        for (Channel channel : streams) {
            closing.add(channel.close());
        }
        boolean mayWait = !onEventLoop(group) && !onEventLoop(udpGroup);
        long waitUntil = shutdownDeadline();
        if (mayWait) {
            awaitAll(closing, waitUntil);
        }
        List<Future<?>> terminating = shutdownOwnedGroups(100);
        if (mayWait) {
            awaitAll(terminating, waitUntil);
        }
        log.debug("Transport {} on {} shut down", name, localAddress);
    }

    private static long shutdownDeadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MILLIS);
    }

    private static void awaitAll(List<? extends Future<?>> futures, long untilNanos) {
        for (Future<?> future : futures) {
            future.awaitUninterruptibly(
                    Math.max(0, TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime())));
        }
    }

    /** Shuts down the UDP loop, and the TCP group unless it is shared; does not wait. */
    private List<Future<?>> shutdownOwnedGroups(long timeoutMillis) {
        List<Future<?>> terminating = new ArrayList<>();
        for (EventLoopGroup g : new EventLoopGroup[] {udpGroup, group}) {
            if (g != null && g != sharedGroup) {
                terminating.add(g.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS));
            }
        }
        return terminating;
    }

    /** Waiting on our own event loop would deadlock (Netty throws instead). */
    private static boolean onEventLoop(EventLoopGroup g) {
        if (g == null) {
            return false;
        }
        for (EventExecutor executor : g) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** @return inbound streams open right now (a gauge; at most the configured maximum) */
    public int openInboundStreams() {
        InboundStreamInitializer streams = inbound;
        return streams == null ? 0 : streams.openStreams();
    }

    /** @return a snapshot of the counters */
    public TransportStats stats() {
        return counters.snapshot();
    }

    @Override
    public String toString() {
        return "NettyTransport[" + name + " " + (localAddress != null ? localAddress : bindAddress)
                + " " + state.get() + "]";
    }

    /** Configures a {@link NettyTransport}. */
    public static final class Builder {

        private InetSocketAddress bindAddress = new InetSocketAddress(DEFAULT_PORT);
        private StreamFramer framer;
        /** memberlist's maxPushStateBytes (20 MiB) plus the 5-byte header of an encrypted stream. */
        private int maxStreamBytes = 20 * 1024 * 1024 + 5;
        private int maxInboundStreams = 128;
        private int maxInboundStreamsPerSource = 8;
        private int memberStreamReserve = 16;
        private Predicate<InetAddress> memberAddress;
        private Duration streamTimeout = Duration.ofSeconds(10);
        private EventLoopGroup eventLoopGroup;
        private int ioThreads = 2;
        private String name = "gossip";
        private Consumer<TransportDrop> dropListener = reason -> { };

        private Builder() {
        }

        /**
         * Where to listen, TCP and UDP alike; port 0 picks a free port. Default: all interfaces,
         * port {@value NettyTransport#DEFAULT_PORT}. Must be resolved (a literal IP or a name
         * resolved by the caller).
         */
        public Builder bindAddress(InetSocketAddress bindAddress) {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (bindAddress.isUnresolved()) {
                throw new IllegalArgumentException("Bind address " + bindAddress
                        + " is not resolved");
            }
            this.bindAddress = bindAddress;
            return this;
        }

        /** Finds where a message ends on a stream, both inbound and in replies. Required. */
        public Builder framer(StreamFramer framer) {
            this.framer = Objects.requireNonNull(framer, "framer");
            return this;
        }

        /**
         * Longest stream message accepted, inbound or as a reply. Default 20 MiB + 5 bytes: the
         * largest push/pull memberlist reads (maxPushStateBytes) in an encrypted frame.
         */
        public Builder maxStreamBytes(int maxStreamBytes) {
            this.maxStreamBytes = positive(maxStreamBytes, "maxStreamBytes");
            return this;
        }

        /**
         * Inbound connections open at once, members' and others' together; more are closed on
         * arrival, before a byte is read. Default 128.
         */
        public Builder maxInboundStreams(int maxInboundStreams) {
            this.maxInboundStreams = positive(maxInboundStreams, "maxInboundStreams");
            return this;
        }

        /**
         * Inbound connections one IP that is not a member's may hold open at once; members' IPs
         * have no such cap. Default 8: a node has one stream open per exchange (a join's or
         * anti-entropy's push/pull, a fallback TCP ping), rarely more than two to one peer at a
         * time, so 8 leaves room for a few nodes behind one NAT address joining together, while
         * a host that holds its connections idle takes 8 slots, not all of them.
         */
        public Builder maxInboundStreamsPerSource(int maxInboundStreamsPerSource) {
            this.maxInboundStreamsPerSource =
                    positive(maxInboundStreamsPerSource, "maxInboundStreamsPerSource");
            return this;
        }

        /**
         * Inbound connections only members may take: others may hold at most {@link
         * #maxInboundStreams} minus this many, so push/pull and TCP pings between members still
         * get through while non-members hold everything else. Applies only with a {@link
         * #memberAddress}; must be less than {@code maxInboundStreams}. Default 16; 0 reserves
         * nothing.
         */
        public Builder memberStreamReserve(int memberStreamReserve) {
            if (memberStreamReserve < 0) {
                throw new IllegalArgumentException(
                        "memberStreamReserve must not be negative, was " + memberStreamReserve);
            }
            this.memberStreamReserve = memberStreamReserve;
            return this;
        }

        /**
         * Tells whether an inbound connection's source IP is a current member's: members skip the
         * per-source cap and may use the {@link #memberStreamReserve}. Asked once per accepted
         * connection on a Netty thread: must be quick, must not block, must be thread-safe.
         * Default: nobody is a member, so only the total and per-source caps apply.
         */
        public Builder memberAddress(Predicate<InetAddress> memberAddress) {
            this.memberAddress = Objects.requireNonNull(memberAddress, "memberAddress");
            return this;
        }

        /**
         * How long an inbound stream may take to deliver its message, and then again for the
         * answer to be written, before it is closed. Default 10 s (memberlist's TCPTimeout).
         */
        public Builder streamTimeout(Duration streamTimeout) {
            Objects.requireNonNull(streamTimeout, "streamTimeout");
            if (streamTimeout.isNegative() || streamTimeout.isZero()) {
                throw new IllegalArgumentException("streamTimeout must be positive");
            }
            this.streamTimeout = streamTimeout;
            return this;
        }

        /**
         * An NIO event loop group to share for TCP (e.g. {@code new MultiThreadIoEventLoopGroup(
         * NioIoHandler.newFactory())}); the transport will not shut it down. UDP still gets a
         * thread of its own, which the transport owns. Default: the transport creates and owns a
         * TCP group of {@link #ioThreads} threads.
         */
        public Builder eventLoopGroup(EventLoopGroup eventLoopGroup) {
            this.eventLoopGroup = Objects.requireNonNull(eventLoopGroup, "eventLoopGroup");
            return this;
        }

        /**
         * Threads of the TCP group the transport creates when none is shared. Default 2. UDP has
         * one more thread, always.
         */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = positive(ioThreads, "ioThreads");
            return this;
        }

        /** Names threads ({@code gossip-netty-<name>-…}) and log lines; typically the node name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Hears of every drop as it is counted in {@link NettyTransport#stats()}, e.g. to count
         * it with the node's own drops. Runs on the Netty thread that dropped: must be quick,
         * must not block, must be thread-safe. Default: nobody listens.
         */
        public Builder dropListener(Consumer<TransportDrop> dropListener) {
            this.dropListener = Objects.requireNonNull(dropListener, "dropListener");
            return this;
        }

        public NettyTransport build() {
            if (framer == null) {
                throw new IllegalStateException("A StreamFramer is required");
            }
            if (memberAddress != null && memberStreamReserve >= maxInboundStreams) {
                throw new IllegalStateException("memberStreamReserve (" + memberStreamReserve
                        + ") must be less than maxInboundStreams (" + maxInboundStreams
                        + "), or nobody could ever join");
            }
            return new NettyTransport(this);
        }

        private static int positive(int value, String what) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive, was " + value);
            }
            return value;
        }
    }
}
