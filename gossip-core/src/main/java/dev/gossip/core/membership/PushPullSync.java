package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.ErrResp;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.PushNodeState;
import dev.gossip.core.wire.PushPull;
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

    /**
     * Sends our state to {@code to}, merges its reply, reports success on our thread. The reply
     * is decoded on the transport's thread; only the merge runs on ours.
     */
    void exchange(InetSocketAddress to, boolean join, Consumer<Boolean> done) {
        byte[] msg = m.streams.encode(localState(join));
        m.stats.streamSent(msg.length);
        m.config.transport().request(to, msg, true, m.timings.tcpTimeout().toNanos(),
                new Transport.StreamCallback() {
                    @Override
                    public void onReply(byte[] reply) {
                        StreamMessage.State state = parseReply(to, reply);
                        m.scheduler.execute(() -> done.accept(state != null && !m.isShutdown() && merge(state)));
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

    /** The state in a push/pull reply, or null (counted) if it is a refusal or malformed. */
    private StreamMessage.State parseReply(InetSocketAddress from, byte[] reply) {
        m.stats.streamReceived(reply.length);
        try {
            StreamMessage msg = m.streams.parse(reply);
            if (msg instanceof StreamMessage.State state) {
                return state;
            }
            if (msg instanceof StreamMessage.Refusal refusal) {
                log.warn("Push/pull with {} refused: {}", from, refusal.error());
                m.stats.drop(DropReason.REMOTE_ERROR);
                return null;
            }
            throw new MalformedMessageException(DropReason.PUSHPULL, "unexpected reply " + msg.getClass().getSimpleName());
        } catch (MalformedMessageException e) {
            m.stats.drop(e.reason());
            log.warn("Push/pull reply from {} rejected: {}", from, e.getMessage());
            return null;
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

    /** Remote alive → alive; left → dead from itself; dead or suspect → only a suspicion (§5.1). */
    private boolean merge(StreamMessage.State remote) {
        for (PushNodeState r : remote.nodes().nodes()) {
            if (r.state() == State.ALIVE.wire()) {
                m.aliveNode(new Alive(r.incarnation(), r.name(), r.addr(), r.port(), r.meta(), r.vsn()), false);
            } else if (r.state() == State.LEFT.wire()) {
                m.deadNode(Accusation.dead(r.incarnation(), r.name(), r.name()), null);
            } else {
                m.suspectNode(Accusation.suspect(r.incarnation(), r.name(), m.config.name()));
            }
        }
        remote.user().merge(remote.nodes().join());
        return true;
    }

    /**
     * An inbound stream: push/pull, TCP ping or user message. Called on the transport's thread:
     * it decodes there and hands the parsed message to the protocol thread.
     */
    void onStream(byte[] frame, InetSocketAddress from, Transport.StreamReply reply) {
        m.stats.streamReceived(frame.length);
        StreamMessage msg;
        try {
            msg = m.streams.parse(frame);
        } catch (MalformedMessageException e) {
            m.stats.drop(e.reason());
            log.warn("Rejected a stream from {}: {}", from, e.getMessage());
            send(reply, new ErrResp(e.getMessage()).encode());
            return;
        } catch (RuntimeException e) {
            m.stats.drop(DropReason.INTERNAL);
            log.warn("Failed to decode a stream from {}", from, e);
            reply.close();
            return;
        }
        m.scheduler.execute(() -> handle(msg, from, reply));
    }

    private void handle(StreamMessage msg, InetSocketAddress from, Transport.StreamReply reply) {
        if (m.isShutdown()) {
            reply.close();
            return;
        }
        try {
            if (msg instanceof StreamMessage.State remote) {
                m.stats.message("push-pull");
                send(reply, localState(remote.nodes().join()));
                merge(remote);
            } else if (msg instanceof StreamMessage.TcpPing p) {
                m.stats.message("tcp-ping");
                if (!p.ping().node().isEmpty() && !p.ping().node().equals(m.config.name())) {
                    m.stats.drop(DropReason.PING_WRONG_NODE);
                    reply.close();
                    return;
                }
                send(reply, new Ack(p.ping().seqNo(), null).encode());
            } else if (msg instanceof StreamMessage.User user) {
                m.stats.message("user-stream");
                reply.close();
                m.delegate.notifyMsg(user.payload());
            } else {
                // memberlist net.go:handleConn serves nothing else (an ack or errResp is a reply).
                m.stats.drop(DropReason.UNKNOWN_TYPE);
                log.warn("Rejected a stream from {}: unexpected {}", from, msg.getClass().getSimpleName());
                send(reply, new ErrResp("unexpected stream message").encode());
            }
        } catch (RuntimeException e) {
            m.stats.drop(DropReason.INTERNAL);
            log.warn("Failed to handle a stream from {}", from, e);
            reply.close();
        }
    }

    private void send(Transport.StreamReply reply, byte[] plain) {
        byte[] out = m.streams.encode(plain);
        m.stats.streamSent(out.length);
        reply.reply(out);
    }
}
