package dev.gossip.core.sim;

import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An in-memory network of {@link Transport} endpoints driven by a {@link VirtualTime}.
 *
 * <p>Packets behave like UDP (latency, loss, silently dropped across partitions or when nobody
 * listens); streams like TCP (reliable, refused when nobody listens, timing out across a
 * partition). Latency and loss come only from a {@link SplittableRandom} seeded at construction,
 * so the same seed and the same node behaviour replay the same trace.
 *
 * <p>Addresses are labels: nothing touches a socket or DNS. Use IP literals (10.0.0.7:7946) so
 * that addresses decoded from gossip messages compare equal to the ones endpoints were created
 * with.
 */
public final class SimulatedNetwork {

    private static final int FIRST_EPHEMERAL_PORT = 49152;

    private final VirtualTime time;
    private final NodeScheduler wire;
    private final SplittableRandom random;
    private final Map<InetSocketAddress, SimulatedTransport> endpoints = new HashMap<>();
    private final Map<Route, Link> links = new HashMap<>();
    private final Partitions partitions = new Partitions();
    private final NetworkCounters counters = new NetworkCounters();
    private Link defaultLink = Link.LAN;
    private int nextEphemeralPort = FIRST_EPHEMERAL_PORT;

    public SimulatedNetwork(VirtualTime time, long seed) {
        this.time = Objects.requireNonNull(time, "time");
        this.wire = time.newScheduler();
        this.random = new SplittableRandom(seed);
    }

    /**
     * Creates an endpoint at {@code address} (port 0 picks a free port). It receives nothing until
     * {@link Transport#start started}. An address may be reused once its previous endpoint has
     * shut down, as by a restarted process; packets still in flight then reach the new one.
     *
     * @throws IllegalStateException if an endpoint at that address has not shut down
     */
    public Transport transport(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        InetSocketAddress bound = address.getPort() == 0 ? freePort(address) : address;
        SimulatedTransport existing = endpoints.get(bound);
        if (existing != null && !existing.isShutDown()) {
            throw new IllegalStateException(
                    "a simulated endpoint at " + bound + " is still open; shut it down first");
        }
        SimulatedTransport endpoint = new SimulatedTransport(this, bound);
        endpoints.put(bound, endpoint);
        return endpoint;
    }

    /** The link used for every direction without its own {@link #setLink}. */
    public void setDefaultLink(Link link) {
        defaultLink = Objects.requireNonNull(link, "link");
    }

    /** Sets the link for the one direction {@code from -> to}; {@code null} reverts to the default. */
    public void setLink(InetSocketAddress from, InetSocketAddress to, Link link) {
        Route route = new Route(Objects.requireNonNull(from), Objects.requireNonNull(to));
        if (link == null) {
            links.remove(route);
        } else {
            links.put(route, link);
        }
    }

    /** Cuts every path between the two sides, both ways, until {@link #heal()}. */
    public void partition(Collection<InetSocketAddress> sideA, Collection<InetSocketAddress> sideB) {
        partitions.split(sideA, sideB);
    }

    /** Packets and streams from {@code from} to {@code to} vanish until {@link #heal()}. */
    public void partitionOneWay(InetSocketAddress from, InetSocketAddress to) {
        partitions.block(Objects.requireNonNull(from), Objects.requireNonNull(to));
    }

    /** Removes every partition; links set with {@link #setLink} stay. */
    public void heal() {
        partitions.clear();
    }

    /** What the network has carried so far. */
    public NetworkStats stats() {
        return counters.snapshot();
    }

    /**
     * The size of the network's own state, for soak tests that check it stays bounded: endpoints
     * (one per address in use; a shut-down one is dropped), streams open at them, links and
     * partition cuts set, and deliveries and stream timeouts queued on the wire.
     */
    public Map<String, Integer> internalSizes() {
        int streams = 0;
        for (SimulatedTransport endpoint : endpoints.values()) {
            streams += endpoint.openStreams();
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("network.endpoints", endpoints.size());
        out.put("network.openStreams", streams);
        out.put("network.links", links.size());
        out.put("network.cuts", partitions.size());
        out.put("network.inFlight", (int) Math.min(Integer.MAX_VALUE, wire.pendingTasks()));
        return out;
    }

    /** The clock this network delivers on. */
    public VirtualTime time() {
        return time;
    }

    // ---- used by the endpoints ----

    /** Runs the network's own deliveries; never stopped. */
    NodeScheduler wire() {
        return wire;
    }

    NetworkCounters counters() {
        return counters;
    }

    /**
     * Forgets a shut-down endpoint, unless a new one has its address already: a network that
     * sees thousands of processes come and go keeps only the open ones.
     */
    void shutDown(SimulatedTransport endpoint) {
        endpoints.remove(endpoint.localAddress(), endpoint);
    }

    boolean blocked(InetSocketAddress from, InetSocketAddress to) {
        return partitions.blocks(from, to);
    }

    /** Draws whether one packet on {@code from -> to} is lost. */
    boolean drawLoss(InetSocketAddress from, InetSocketAddress to) {
        double p = link(from, to).lossProbability();
        return p > 0.0 && (p >= 1.0 || random.nextDouble() < p);
    }

    /** Draws one transit time on {@code from -> to}. */
    long drawLatency(InetSocketAddress from, InetSocketAddress to) {
        Link link = link(from, to);
        long min = link.minLatencyNanos();
        long max = link.maxLatencyNanos();
        return min == max ? min : random.nextLong(min, max + 1);
    }

    /** The endpoint started at {@code address} and not shut down, or {@code null}. */
    SimulatedTransport listenerAt(InetSocketAddress address) {
        SimulatedTransport endpoint = endpoints.get(address);
        return endpoint != null && endpoint.isListening() ? endpoint : null;
    }

    private Link link(InetSocketAddress from, InetSocketAddress to) {
        if (links.isEmpty()) {
            return defaultLink;
        }
        return links.getOrDefault(new Route(from, to), defaultLink);
    }

    private InetSocketAddress freePort(InetSocketAddress address) {
        while (nextEphemeralPort <= 65535) {
            int port = nextEphemeralPort++;
            InetSocketAddress candidate = address.isUnresolved()
                    ? InetSocketAddress.createUnresolved(address.getHostString(), port)
                    : new InetSocketAddress(address.getAddress(), port);
            if (!endpoints.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free simulated ports left for " + address);
    }
}
