package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.wire.IpAddresses;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.IndirectPing;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.Nack;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Memberlist m;
    private final Map<Long, AckHandler> ackHandlers = new HashMap<>();
    private int probeIndex;
    private long seqNo;

    Prober(Memberlist m) {
        this.m = m;
    }

    void start() {
        long interval = m.timings.probeInterval().toNanos();
        m.scheduler.schedule(m.config.random().nextLong(interval), this::tick);
    }

    void shutdown() {
        ackHandlers.clear();
    }

    private long nextSeq() {
        seqNo = (seqNo + 1) & 0xFFFF_FFFFL;
        return seqNo;
    }

    /** One probe round; the next starts a ProbeInterval after this one started, or when it ends. */
    private void tick() {
        if (m.isShutdown()) {
            return;
        }
        long start = m.scheduler.nanoTime();
        long interval = m.timings.probeInterval().toNanos();
        boolean[] scheduled = {false};
        Runnable next = () -> {
            if (!scheduled[0]) { // once per round, however the round ends
                scheduled[0] = true;
                long wait = Math.max(0, start + interval - m.scheduler.nanoTime());
                m.scheduler.schedule(wait, this::tick);
            }
        };
        try {
            NodeState target = nextTarget();
            if (target == null) {
                next.run();
            } else {
                new ProbeRound(target, next).begin();
            }
        } catch (RuntimeException e) {
            m.loopFailures.record("probe", e);
            next.run();
        }
    }

    private NodeState nextTarget() {
        List<NodeState> nodes = m.nodes;
        for (int checked = 0; checked <= nodes.size(); checked++) {
            if (probeIndex >= nodes.size()) {
                m.resetNodes();
                probeIndex = 0;
                continue;
            }
            NodeState n = nodes.get(probeIndex++);
            if (n != m.self() && n.state != State.DEAD && n.state != State.LEFT) {
                return n;
            }
        }
        return null;
    }

    /** The life of one probe: direct ping, then indirect + TCP, then verdict. */
    private final class ProbeRound implements AckHandler {
        private final NodeState node;
        private final long incarnation;
        private final Runnable done;
        private final long seq = nextSeq();
        private final long start = m.scheduler.nanoTime();
        private final long deadline = m.awareness().scale(m.timings.probeInterval().toNanos());
        private long sent;
        private int expectedNacks;
        private int nacks;
        private boolean indirectPhase;
        private boolean tcpContact;
        private boolean finished;

        ProbeRound(NodeState node, Runnable done) {
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
            m.loopFailures.record("probe", e);
            if (!finished) {
                finished = true;
                ackHandlers.remove(seq);
                done.run();
            }
        }

        private void send() {
            ackHandlers.put(seq, this);
            byte[] ping = ping(seq, node.name).encode();
            if (node.state == State.ALIVE) {
                m.packets.sendMsg(node.address(), node, ping);
            } else {
                // Buddy system: tell a suspect it is suspected, so it can refute at once.
                byte[] suspect = Accusation.suspect(node.incarnation, node.name, m.config.name()).encode();
                m.packets.sendRaw(node.address(), node, Packets.compound(List.of(ping, suspect)));
            }
            sent = m.scheduler.nanoTime();
            m.scheduler.schedule(m.timings.probeTimeout().toNanos(), this::indirect);
            m.scheduler.schedule(deadline, this::verdict);
        }

        @Override
        public void onAck(byte[] payload, long nowNanos) {
            if (finished) {
                return;
            }
            if (!indirectPhase) {
                m.delegate.notifyPingComplete(node, nowNanos - sent, payload);
            }
            finish(-1);
        }

        @Override
        public void onNack() {
            nacks++;
        }

        private void indirect() {
            if (finished || m.isShutdown()) {
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
            List<NodeState> helpers = m.randomNodes(m.timings.indirectChecks(),
                    n -> n != node && n.state == State.ALIVE);
            InetSocketAddress self = m.self().address();
            for (NodeState helper : helpers) {
                boolean nack = helper.protocolMax() >= 4;
                if (nack) {
                    expectedNacks++;
                }
                IndirectPing ind = new IndirectPing(seq, node.addr.getAddress(), node.port, node.name,
                        nack, self.getAddress().getAddress(), self.getPort(), m.config.name());
                m.packets.sendMsg(helper.address(), helper, ind.encode());
            }
            if (node.protocolMax() >= 3 && !m.timings.disableTcpPings()) {
                tcpPing();
            }
        }

        private void tcpPing() {
            long remaining = start + deadline - m.scheduler.nanoTime();
            byte[] msg = m.streams.encode(ping(seq, node.name).encode());
            m.stats.streamSent(msg.length);
            m.config.transport().request(node.address(), msg, true, remaining,
                    new Transport.StreamCallback() {
                        @Override
                        public void onReply(byte[] reply) {
                            boolean acked = isAckFor(reply, seq); // decoded here, off the protocol thread
                            m.scheduler.execute(() -> tcpContact = acked);
                        }

                        @Override
                        public void onFailure(Throwable cause) {
                            log.debug("TCP ping to {} failed: {}", node.name, cause.toString());
                        }
                    });
        }

        private void verdict() {
            if (finished || m.isShutdown()) {
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
                finish(0);
                return;
            }
            int delta = expectedNacks > 0 ? Math.max(0, expectedNacks - nacks) : 1;
            finish(delta);
            log.info("Suspect {} has failed, no acks received", node.name);
            m.suspectNode(Accusation.suspect(incarnation, node.name, m.config.name()));
        }

        private void finish(int awarenessDelta) {
            finished = true;
            ackHandlers.remove(seq);
            m.awareness().applyDelta(awarenessDelta);
            done.run();
        }
    }

    private boolean isAckFor(byte[] reply, long seq) {
        try {
            return m.streams.parse(reply) instanceof StreamMessage.TcpAck tcpAck && tcpAck.ack().seqNo() == seq;
        } catch (MalformedMessageException e) {
            m.stats.drop(e.reason());
            return false;
        }
    }

    private Ping ping(long seq, String target) {
        InetSocketAddress self = m.self().address();
        return new Ping(seq, target, self.getAddress().getAddress(), self.getPort(), m.config.name());
    }

    // ---- the other side ----

    void handlePing(Ping p, InetSocketAddress from) {
        if (!p.node().isEmpty() && !p.node().equals(m.config.name())) {
            m.stats.drop(DropReason.PING_WRONG_NODE);
            log.warn("Got ping for unexpected node '{}' from {}", p.node(), from);
            return;
        }
        Ack ack = new Ack(p.seqNo(), m.delegate.ackPayload());
        m.packets.sendMsg(replyAddress(from, p.sourceAddr(), p.sourcePort()), null, ack.encode());
    }

    void handleIndirectPing(IndirectPing ind, InetSocketAddress from) {
        InetAddress targetAddr = IpAddresses.toInet(ind.target());
        if (targetAddr == null) {
            m.stats.drop(DropReason.BAD_ADDRESS);
            return;
        }
        InetSocketAddress target = new InetSocketAddress(targetAddr,
                ind.port() == 0 ? m.config.advertisePort() : ind.port());
        InetSocketAddress origin = replyAddress(from, ind.sourceAddr(), ind.sourcePort());
        long localSeq = nextSeq();
        boolean[] answered = {false};
        ackHandlers.put(localSeq, new AckHandler() {
            @Override
            public void onAck(byte[] payload, long nowNanos) {
                answered[0] = true;
                m.packets.sendMsg(origin, null, new Ack(ind.seqNo(), null).encode());
            }

            @Override
            public void onNack() {
            }
        });
        m.scheduler.schedule(m.timings.probeTimeout().toNanos(), () -> {
            ackHandlers.remove(localSeq);
            if (!answered[0] && ind.nack() && !m.isShutdown()) {
                m.packets.sendMsg(origin, null, new Nack(ind.seqNo()).encode());
            }
        });
        m.packets.sendMsg(target, null, ping(localSeq, ind.node()).encode());
    }

    void handleAck(Ack ack) {
        AckHandler h = ackHandlers.remove(ack.seqNo());
        if (h != null) {
            h.onAck(ack.payload(), m.scheduler.nanoTime());
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
