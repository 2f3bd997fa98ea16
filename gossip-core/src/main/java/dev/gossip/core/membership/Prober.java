package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipStats;
import dev.gossip.core.ProbeResult;
import dev.gossip.core.Timings;
import dev.gossip.core.wire.IpAddresses;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.IndirectPing;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.Nack;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.time.LoopFailures;
import dev.gossip.core.time.Scheduler;
import dev.gossip.core.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SWIM failure detection with Lifeguard (§5.2): probe one node per round, round-robin over a
 * shuffled list; on a missed ack ask helpers to probe it indirectly and try a TCP ping; if all
 * fail, suspect it. Also answers other nodes' pings and indirect ping requests.
 */
final class Prober {

    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    /** Someone waiting for the ack (or nack) of one sequence number. */
    private interface AckHandler {
        void onAck(byte[] payload, long nowNanos);

        void onNack();
    }

    private final NodeState self;
    private final int advertisePort;
    private final Timings timings;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final Awareness awareness;
    private final GossipStats stats;
    private final LoopFailures loopFailures;
    private final Transport transport;
    private final StreamCodec streams;
    private final PacketLayer packets;
    private final MembershipDelegate delegate;
    private final Nodes nodes;
    private final Runnable resetNodes;
    private final Consumer<Accusation> suspectNode;
    private final BooleanSupplier shutdown;
    private final Map<Long, AckHandler> ackHandlers = new HashMap<>();
    /** Out-of-turn probes running, by member name, with everyone waiting for each one's result. */
    private final Map<String, List<Consumer<ProbeResult>>> outOfTurn = new HashMap<>();
    private int probeIndex;
    private long seqNo;

    /**
     * @param self          our own node: the source of our pings, skipped as a target
     * @param advertisePort the port of an indirect ping's target that names none
     * @param nodes         the probe order ({@link Nodes#allNodes}), and the helpers to ask
     * @param resetNodes    reaps and reshuffles the probe order, at every wrap-around
     * @param suspectNode   the verdict on a node that answered no probe
     * @param shutdown      whether the node has shut down: rounds then stop
     */
    Prober(NodeState self, int advertisePort, Timings timings, Scheduler scheduler, RandomGenerator random,
           Awareness awareness, GossipStats stats, LoopFailures loopFailures, Transport transport,
           StreamCodec streams, PacketLayer packets, MembershipDelegate delegate, Nodes nodes,
           Runnable resetNodes, Consumer<Accusation> suspectNode, BooleanSupplier shutdown) {
        this.self = self;
        this.advertisePort = advertisePort;
        this.timings = timings;
        this.scheduler = scheduler;
        this.random = random;
        this.awareness = awareness;
        this.stats = stats;
        this.loopFailures = loopFailures;
        this.transport = transport;
        this.streams = streams;
        this.packets = packets;
        this.delegate = delegate;
        this.nodes = nodes;
        this.resetNodes = resetNodes;
        this.suspectNode = suspectNode;
        this.shutdown = shutdown;
    }

    void start() {
        long interval = timings.probeInterval().toNanos();
        scheduler.schedule(random.nextLong(interval), this::tick);
    }

    void shutdown() {
        ackHandlers.clear();
        outOfTurn.clear();
    }

    /** Probes and indirect pings waiting for an ack; a diagnostic. */
    int ackHandlers() {
        return ackHandlers.size();
    }

    /** Out-of-turn probes running; a diagnostic. */
    int outOfTurnProbes() {
        return outOfTurn.size();
    }

    /**
     * Probes {@code node} now, out of turn, exactly as a probe round would (direct ping, indirect
     * pings, TCP ping, then suspicion if nothing acked), because a caller has evidence it may be
     * down (a refused connection). Nothing new goes on the wire: a peer sees one more probe. A
     * probe of the same node already running out of turn is joined rather than doubled, so a
     * burst of failed calls costs one probe. {@code suspected} runs once if it ends in suspicion.
     */
    void probeOutOfTurn(NodeState node, Consumer<ProbeResult> result, Runnable suspected) {
        List<Consumer<ProbeResult>> waiting = outOfTurn.get(node.name);
        if (waiting != null) {
            waiting.add(result);
            return;
        }
        waiting = new ArrayList<>();
        waiting.add(result);
        outOfTurn.put(node.name, waiting);
        stats.message("probe-out-of-turn");
        new ProbeRound(node, r -> {
            if (r == ProbeResult.NO_ACK) {
                suspected.run();
            }
            List<Consumer<ProbeResult>> done = outOfTurn.remove(node.name);
            if (done != null) {
                done.forEach(c -> c.accept(r));
            }
        }).begin();
    }

    private long nextSeq() {
        seqNo = (seqNo + 1) & 0xFFFF_FFFFL;
        return seqNo;
    }

    /** One probe round; the next starts a ProbeInterval after this one started, or when it ends. */
    private void tick() {
        if (shutdown.getAsBoolean()) {
            return;
        }
        long start = scheduler.nanoTime();
        long interval = timings.probeInterval().toNanos();
        boolean[] scheduled = {false};
        Runnable next = () -> {
            if (!scheduled[0]) { // once per round, however the round ends
                scheduled[0] = true;
                long wait = Math.max(0, start + interval - scheduler.nanoTime());
                scheduler.schedule(wait, this::tick);
            }
        };
        try {
            NodeState target = nextTarget();
            if (target == null) {
                next.run();
            } else {
                new ProbeRound(target, result -> next.run()).begin();
            }
        } catch (RuntimeException e) {
            loopFailures.record("probe", e);
            next.run();
        }
    }

    private NodeState nextTarget() {
        List<NodeState> order = nodes.allNodes();
        for (int checked = 0; checked <= order.size(); checked++) {
            if (probeIndex >= order.size()) {
                resetNodes.run();
                probeIndex = 0;
                continue;
            }
            NodeState n = order.get(probeIndex++);
            if (n != self && n.state != State.DEAD && n.state != State.LEFT) {
                return n;
            }
        }
        return null;
    }

    /** The life of one probe: direct ping, then indirect + TCP, then verdict. */
    private final class ProbeRound implements AckHandler {
        private final NodeState node;
        private final long incarnation;
        private final Consumer<ProbeResult> done;
        private final long seq = nextSeq();
        private final long start = scheduler.nanoTime();
        private final long deadline = awareness.scale(timings.probeInterval().toNanos());
        private long sent;
        private int expectedNacks;
        private int nacks;
        private boolean indirectPhase;
        private boolean tcpContact;
        private boolean finished;

        ProbeRound(NodeState node, Consumer<ProbeResult> done) {
            this.node = node;
            this.incarnation = node.incarnation;
            this.done = done;
        }

        void begin() {
            try {
                send();
            } catch (RuntimeException e) {
                abandon(e);
            }
        }

        /**
         * A round that threw ends here: counted, its ack handler dropped (a failure every tick
         * must not pile up handlers), no verdict on the node, and the next round still comes.
         */
        private void abandon(RuntimeException e) {
            loopFailures.record("probe", e);
            if (!finished) {
                finished = true;
                ackHandlers.remove(seq);
                done.accept(ProbeResult.NOT_PROBED);
            }
        }

        private void send() {
            ackHandlers.put(seq, this);
            byte[] ping = ping(seq, node.name).encode();
            if (node.state == State.ALIVE) {
                packets.sendMsg(node.address(), node, ping);
            } else {
                // Buddy system: tell a suspect it is suspected, so it can refute at once.
                byte[] suspect = Accusation.suspect(node.incarnation, node.name, self.name).encode();
                packets.sendRaw(node.address(), node, Packets.compound(List.of(ping, suspect)));
            }
            sent = scheduler.nanoTime();
            scheduler.schedule(timings.probeTimeout().toNanos(), this::indirect);
            scheduler.schedule(deadline, this::verdict);
        }

        @Override
        public void onAck(byte[] payload, long nowNanos) {
            if (finished) {
                return;
            }
            if (!indirectPhase) {
                delegate.notifyPingComplete(node, nowNanos - sent, payload);
            }
            finish(-1, indirectPhase ? ProbeResult.ACKED_BY_OTHERS : ProbeResult.ACKED);
        }

        @Override
        public void onNack() {
            nacks++;
        }

        private void indirect() {
            if (finished) {
                return;
            }
            if (shutdown.getAsBoolean()) {
                stopped();
                return;
            }
            try {
                askHelpers();
            } catch (RuntimeException e) {
                abandon(e);
            }
        }

        private void askHelpers() {
            indirectPhase = true;
            ackHandlers.put(seq, this);
            log.debug("Failed ping: {} (timeout reached)", node.name);
            List<NodeState> helpers = nodes.randomNodes(timings.indirectChecks(),
                    n -> n != node && n.state == State.ALIVE);
            InetSocketAddress source = self.address();
            for (NodeState helper : helpers) {
                boolean nack = helper.protocolMax() >= 4;
                if (nack) {
                    expectedNacks++;
                }
                IndirectPing ind = new IndirectPing(seq, node.addr.getAddress(), node.port, node.name,
                        nack, source.getAddress().getAddress(), source.getPort(), self.name);
                packets.sendMsg(helper.address(), helper, ind.encode());
            }
            if (node.protocolMax() >= 3 && !timings.disableTcpPings()) {
                tcpPing();
            }
        }

        private void tcpPing() {
            long remaining = start + deadline - scheduler.nanoTime();
            byte[] msg = streams.encode(ping(seq, node.name).encode());
            stats.streamSent(msg.length);
            transport.request(node.address(), msg, true, remaining,
                    new Transport.StreamCallback() {
                        @Override
                        public void onReply(byte[] reply) {
                            boolean acked = isAckFor(reply, seq); // decoded here, off the protocol thread
                            scheduler.execute(() -> tcpContact = acked);
                        }

                        @Override
                        public void onFailure(Throwable cause) {
                            log.debug("TCP ping to {} failed: {}", node.name, cause.toString());
                        }
                    });
        }

        private void verdict() {
            if (finished) {
                return;
            }
            if (shutdown.getAsBoolean()) {
                stopped();
                return;
            }
            try {
                decide();
            } catch (RuntimeException e) {
                abandon(e);
            }
        }

        private void decide() {
            if (tcpContact) {
                log.warn("Was able to connect to {} but other probes failed, network may be misconfigured",
                        node.name);
                finish(0, ProbeResult.ACKED);
                return;
            }
            int delta = expectedNacks > 0 ? Math.max(0, expectedNacks - nacks) : 1;
            finish(delta, ProbeResult.NO_ACK);
            log.info("Suspect {} has failed, no acks received", node.name);
            suspectNode.accept(Accusation.suspect(incarnation, node.name, self.name));
        }

        /** The node shut down mid-probe: no verdict, and whoever waits hears so. */
        private void stopped() {
            finished = true;
            ackHandlers.remove(seq);
            done.accept(ProbeResult.NOT_PROBED);
        }

        private void finish(int awarenessDelta, ProbeResult result) {
            finished = true;
            ackHandlers.remove(seq);
            awareness.applyDelta(awarenessDelta);
            done.accept(result);
        }
    }

    /**
     * Pings {@code to} by {@code name} up to {@code attempts} times, each waiting a probe timeout,
     * and reports whether it acked. The ping names its target, so another node at that address
     * does not answer for it (handlePing drops a ping for another name).
     */
    void pingByName(String name, InetSocketAddress to, int attempts, Consumer<Boolean> answered) {
        long seq = nextSeq();
        boolean[] done = {false};
        ackHandlers.put(seq, new AckHandler() {
            @Override
            public void onAck(byte[] payload, long nowNanos) {
                if (!done[0]) {
                    done[0] = true;
                    answered.accept(true);
                }
            }

            @Override
            public void onNack() {
            }
        });
        byte[] ping = ping(seq, name).encode();
        long timeout = timings.probeTimeout().toNanos();
        for (int i = 0; i < attempts; i++) {
            scheduler.schedule(i * timeout, () -> {
                if (!done[0] && !shutdown.getAsBoolean()) {
                    packets.sendMsg(to, null, ping);
                }
            });
        }
        scheduler.schedule(attempts * timeout, () -> {
            ackHandlers.remove(seq);
            if (!done[0]) {
                done[0] = true;
                answered.accept(false);
            }
        });
    }

    private boolean isAckFor(byte[] reply, long seq) {
        try {
            return streams.parse(reply) instanceof StreamMessage.TcpAck tcpAck && tcpAck.ack().seqNo() == seq;
        } catch (MalformedMessageException e) {
            stats.drop(e.reason());
            return false;
        }
    }

    private Ping ping(long seq, String target) {
        InetSocketAddress source = self.address();
        return new Ping(seq, target, source.getAddress().getAddress(), source.getPort(), self.name);
    }

    // ---- the other side ----

    void handlePing(Ping p, InetSocketAddress from) {
        if (!p.node().isEmpty() && !p.node().equals(self.name)) {
            stats.drop(DropReason.PING_WRONG_NODE);
            log.warn("Got ping for unexpected node '{}' from {}", p.node(), from);
            return;
        }
        Ack ack = new Ack(p.seqNo(), delegate.ackPayload());
        packets.sendMsg(replyAddress(from, p.sourceAddr(), p.sourcePort()), null, ack.encode());
    }

    void handleIndirectPing(IndirectPing ind, InetSocketAddress from) {
        InetAddress targetAddr = IpAddresses.toInet(ind.target());
        if (targetAddr == null) {
            stats.drop(DropReason.BAD_ADDRESS);
            return;
        }
        InetSocketAddress target = new InetSocketAddress(targetAddr,
                ind.port() == 0 ? advertisePort : ind.port());
        InetSocketAddress origin = replyAddress(from, ind.sourceAddr(), ind.sourcePort());
        long localSeq = nextSeq();
        boolean[] answered = {false};
        ackHandlers.put(localSeq, new AckHandler() {
            @Override
            public void onAck(byte[] payload, long nowNanos) {
                answered[0] = true;
                packets.sendMsg(origin, null, new Ack(ind.seqNo(), null).encode());
            }

            @Override
            public void onNack() {
            }
        });
        scheduler.schedule(timings.probeTimeout().toNanos(), () -> {
            ackHandlers.remove(localSeq);
            if (!answered[0] && ind.nack() && !shutdown.getAsBoolean()) {
                packets.sendMsg(origin, null, new Nack(ind.seqNo()).encode());
            }
        });
        packets.sendMsg(target, null, ping(localSeq, ind.node()).encode());
    }

    void handleAck(Ack ack) {
        AckHandler h = ackHandlers.remove(ack.seqNo());
        if (h != null) {
            h.onAck(ack.payload(), scheduler.nanoTime());
        }
    }

    void handleNack(Nack nack) {
        AckHandler h = ackHandlers.get(nack.seqNo());
        if (h != null) {
            h.onNack();
        }
    }

    private static InetSocketAddress replyAddress(InetSocketAddress from, byte[] sourceAddr, int sourcePort) {
        InetAddress addr = IpAddresses.toInet(sourceAddr);
        return addr != null && sourcePort > 0 ? new InetSocketAddress(addr, sourcePort) : from;
    }
}
