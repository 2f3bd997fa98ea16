package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.ErrResp;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.Ping;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
import dev.gossip.core.wire.UserMsgHeader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Full state exchange over TCP (§6.2): used to join and, periodically, as anti-entropy that
 * repairs whatever gossip missed. Also answers the other stream messages: TCP pings (§6.5) and
 * user messages (§6.3).
 */
final class PushPullSync {

    private static final Logger log = LoggerFactory.getLogger(PushPullSync.class);

    private final Memberlist m;

    PushPullSync(Memberlist m) {
        this.m = m;
    }

    /** Periodic anti-entropy with one random live node. */
    void periodic() {
        List<NodeState> peer = m.randomNodes(1, n -> n.state == State.ALIVE);
        if (!peer.isEmpty()) {
            exchange(peer.get(0).address(), false, ok -> { });
        }
    }

    /** Sends our state to {@code to}, merges its reply, reports success on our thread. */
    void exchange(InetSocketAddress to, boolean join, Consumer<Boolean> done) {
        byte[] msg = m.packets.encodeStream(localState(join));
        m.stats.streamSent(msg.length);
        m.config.transport().request(to, msg, true, m.timings.tcpTimeout().toNanos(),
                new Transport.StreamCallback() {
                    @Override
                    public void onReply(byte[] reply) {
                        m.scheduler.execute(() -> done.accept(!m.isShutdown() && mergeReply(to, reply, join)));
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        m.scheduler.execute(() -> {
                            log.debug("Push/pull with {} failed: {}", to, cause.toString());
                            done.accept(false);
                        });
                    }
                });
    }

    private boolean mergeReply(InetSocketAddress from, byte[] reply, boolean join) {
        m.stats.streamReceived(reply.length);
        try {
            byte[] msg = m.packets.decodeStream(reply);
            int type = msg[0] & 0xff;
            if (type == MessageType.ERR) {
                String error = ErrResp.decode(new MsgReader(msg, 1, msg.length - 1)).error();
                log.warn("Push/pull with {} refused: {}", from, error);
                m.stats.drop(DropReason.REMOTE_ERROR);
                return false;
            }
            if (type != MessageType.PUSH_PULL) {
                throw new MalformedMessageException(DropReason.PUSHPULL, "unexpected reply type " + type);
            }
            return mergeIfCompatible(PushPull.decode(msg, 1, msg.length - 1), from);
        } catch (MalformedMessageException e) {
            m.stats.drop(e.reason());
            log.warn("Push/pull reply from {} rejected: {}", from, e.getMessage());
            return false;
        }
    }

    private byte[] localState(boolean join) {
        List<PushNodeState> states = new ArrayList<>(m.nodes.size());
        for (NodeState n : m.allNodes()) {
            states.add(new PushNodeState(n.name, n.addr.getAddress(), n.port, n.meta, n.incarnation,
                    n.state.wire(), n.vsn));
        }
        return new PushPull(join, states, m.delegate.localState(join)).encode();
    }

    /**
     * Merges a remote state unless its nodes' versions rule out a range every node understands;
     * returns whether it merged. memberlist net.go:mergeRemoteState checks before touching
     * anything, so a state from an incompatible cluster changes nothing here.
     */
    private boolean mergeIfCompatible(PushPull remote, InetSocketAddress from) {
        String why = incompatibility(remote.nodes());
        if (why != null) {
            m.stats.drop(DropReason.INCOMPATIBLE_VERSION);
            log.warn("Push/pull with {} not merged: {}", from, why);
            return false;
        }
        merge(remote);
        return true;
    }

    /**
     * memberlist state.go:verifyProtocol: the highest PMin/DMin and lowest PMax/DMax over the
     * alive nodes of both sides bound the versions everyone understands; every listed node's
     * PCur/DCur, and every one of ours, must lie inside. A listed node without a full vector counts
     * as version 0 (Go's zero values), so it is refused.
     *
     * @return why the state cannot be merged, or null
     */
    private String incompatibility(List<PushNodeState> remote) {
        VersionRange range = new VersionRange();
        for (PushNodeState r : remote) {
            if (r.state() == State.ALIVE.wire() && r.vsn() != null && r.vsn().length >= 5) {
                range.narrow(r.vsn());
            }
        }
        for (NodeState n : m.allNodes()) {
            if (n.state == State.ALIVE && n.vsn != null && n.vsn.length >= 6) {
                range.narrow(n.vsn);
            }
        }
        for (PushNodeState r : remote) {
            String why = range.refuse(r.name(), r.vsn());
            if (why != null) {
                return why;
            }
        }
        for (NodeState n : m.allNodes()) {
            String why = range.refuse(n.name, n.vsn);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** The protocol and delegate versions every node so far understands. */
    private static final class VersionRange {
        private int maxPMin;
        private int minPMax = 255;
        private int maxDMin;
        private int minDMax = 255;

        /** Takes in [PMin, PMax, _, DMin, DMax, ...]. */
        void narrow(byte[] v) {
            maxPMin = Math.max(maxPMin, v[0] & 0xff);
            minPMax = Math.min(minPMax, v[1] & 0xff);
            maxDMin = Math.max(maxDMin, v[3] & 0xff);
            minDMax = Math.min(minDMax, v[4] & 0xff);
        }

        /** Go's error text when the node's current versions (0 without a full vector) are out of range. */
        String refuse(String name, byte[] v) {
            boolean full = v != null && v.length >= 6;
            int pCur = full ? v[2] & 0xff : 0;
            int dCur = full ? v[5] & 0xff : 0;
            if (pCur < maxPMin || pCur > minPMax) {
                return "Node '" + name + "' protocol version (" + pCur + ") is incompatible: ["
                        + maxPMin + ", " + minPMax + "]";
            }
            if (dCur < maxDMin || dCur > minDMax) {
                return "Node '" + name + "' delegate protocol version (" + dCur + ") is incompatible: ["
                        + maxDMin + ", " + minDMax + "]";
            }
            return null;
        }
    }

    /** Remote alive → alive; left → dead from itself; dead or suspect → only a suspicion (§5.1). */
    private void merge(PushPull remote) {
        for (PushNodeState r : remote.nodes()) {
            if (r.state() == State.ALIVE.wire()) {
                m.aliveNode(new Alive(r.incarnation(), r.name(), r.addr(), r.port(), r.meta(), r.vsn()), false);
            } else if (r.state() == State.LEFT.wire()) {
                m.deadNode(Accusation.dead(r.incarnation(), r.name(), r.name()), null);
            } else {
                m.suspectNode(Accusation.suspect(r.incarnation(), r.name(), m.config.name()));
            }
        }
        m.delegate.mergeRemoteState(remote.userState(), remote.join());
    }

    /** An inbound stream: push/pull, TCP ping or user message. */
    void onStream(byte[] frame, InetSocketAddress from, Transport.StreamReply reply) {
        m.stats.streamReceived(frame.length);
        if (m.isShutdown()) {
            reply.close();
            return;
        }
        try {
            byte[] msg = m.packets.decodeStream(frame);
            int type = msg[0] & 0xff;
            switch (type) {
                case MessageType.PUSH_PULL -> {
                    m.stats.message("push-pull");
                    PushPull remote = PushPull.decode(msg, 1, msg.length - 1);
                    // net.go:handleConn answers with our state first; a merge it then refuses
                    // is only logged, the stream is already answered.
                    send(reply, localState(remote.join()));
                    mergeIfCompatible(remote, from);
                }
                case MessageType.PING -> {
                    m.stats.message("tcp-ping");
                    Ping p = Ping.decode(new MsgReader(msg, 1, msg.length - 1));
                    if (!p.node().isEmpty() && !p.node().equals(m.config.name())) {
                        m.stats.drop(DropReason.PING_WRONG_NODE);
                        reply.close();
                        return;
                    }
                    send(reply, new Ack(p.seqNo(), null).encode());
                }
                case MessageType.USER -> {
                    m.stats.message("user-stream");
                    byte[] payload = UserMsgHeader.decode(msg, 1, msg.length - 1);
                    reply.close();
                    m.delegate.notifyMsg(payload);
                }
                default -> throw new MalformedMessageException(DropReason.UNKNOWN_TYPE, "stream message type " + type);
            }
        } catch (MalformedMessageException e) {
            m.stats.drop(e.reason());
            log.warn("Rejected a stream from {}: {}", from, e.getMessage());
            send(reply, new ErrResp(e.getMessage()).encode());
        } catch (RuntimeException e) {
            m.stats.drop(DropReason.INTERNAL);
            log.warn("Failed to handle a stream from {}", from, e);
            reply.close();
        }
    }

    private void send(Transport.StreamReply reply, byte[] plain) {
        byte[] out = m.packets.encodeStream(plain);
        m.stats.streamSent(out.length);
        reply.reply(out);
    }
}
