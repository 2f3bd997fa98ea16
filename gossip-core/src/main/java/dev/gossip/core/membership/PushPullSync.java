package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Timings;
import dev.gossip.core.membership.NodeState.State;
import dev.gossip.core.time.Scheduler;
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
import java.util.function.BooleanSupplier;
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

    /** Nodes of a push/pull merged per turn of the protocol thread (a few ms at most). */
    static final int MERGE_SLICE = 256;

    private final String localName;
    private final Scheduler scheduler;
    private final Timings timings;
    private final GossipStats stats;
    private final Transport transport;
    private final StreamCodec streams;
    private final MembershipDelegate delegate;
    private final Nodes nodes;
    private final NodeStateMachine states;
    private final BooleanSupplier shutdown;
    private final PeerKnows peerKnows;

    /** Told of every alive node a push/pull peer sent us, once merged. */
    @FunctionalInterface
    interface PeerKnows {
        void alive(String name, long incarnation);
    }

    /**
     * @param localName our node name: the accuser of the suspicions a merge raises, and the name a
     *                  TCP ping must be for
     * @param shutdown  whether the node has shut down: replies arriving after it are not merged
     * @param peerKnows told of each alive node a peer's state held, after it is merged
     */
    PushPullSync(String localName, Scheduler scheduler, Timings timings, GossipStats stats,
                 Transport transport, StreamCodec streams, MembershipDelegate delegate, Nodes nodes,
                 NodeStateMachine states, BooleanSupplier shutdown, PeerKnows peerKnows) {
        this.peerKnows = peerKnows;
        this.localName = localName;
        this.scheduler = scheduler;
        this.timings = timings;
        this.stats = stats;
        this.transport = transport;
        this.streams = streams;
        this.delegate = delegate;
        this.nodes = nodes;
        this.states = states;
        this.shutdown = shutdown;
    }

    /** Periodic anti-entropy with one random live node. */
    void periodic() {
        withRandomPeer(ok -> { });
    }

    /** A push/pull with one random live node; {@code done} hears whether it merged (at once if none). */
    void withRandomPeer(Consumer<Boolean> done) {
        List<NodeState> peer = nodes.randomNodes(1, n -> n.state == State.ALIVE);
        if (peer.isEmpty()) {
            done.accept(false);
        } else {
            exchange(peer.get(0).address(), false, done);
        }
    }

    /**
     * Sends our state to {@code to}, merges its reply, reports success on our thread. The reply
     * is decoded on the transport's thread; only the merge runs on ours.
     */
    void exchange(InetSocketAddress to, boolean join, Consumer<Boolean> done) {
        byte[] msg = streams.encode(localState(join));
        stats.streamSent(msg.length);
        transport.request(to, msg, true, timings.tcpTimeout().toNanos(),
                new Transport.StreamCallback() {
                    @Override
                    public void onReply(byte[] reply) {
                        StreamMessage.State state = parseReply(to, reply);
                        scheduler.execute(() -> {
                            if (state == null || shutdown.getAsBoolean()
                                    || !mergeIfCompatible(state, to, () -> done.accept(true))) {
                                done.accept(false);
                            }
                        });
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        scheduler.execute(() -> {
                            log.debug("Push/pull with {} failed: {}", to, cause.toString());
                            done.accept(false);
                        });
                    }
                });
    }

    /** The state in a push/pull reply, or null (counted) if it is a refusal or malformed. */
    private StreamMessage.State parseReply(InetSocketAddress from, byte[] reply) {
        stats.streamReceived(reply.length);
        try {
            StreamMessage msg = streams.parse(reply);
            if (msg instanceof StreamMessage.State state) {
                return state;
            }
            if (msg instanceof StreamMessage.Refusal refusal) {
                log.warn("Push/pull with {} refused: {}", from, refusal.error());
                stats.drop(DropReason.REMOTE_ERROR);
                return null;
            }
            throw new MalformedMessageException(DropReason.PUSHPULL, "unexpected reply " + msg.getClass().getSimpleName());
        } catch (MalformedMessageException e) {
            stats.drop(e.reason());
            log.warn("Push/pull reply from {} rejected: {}", from, e.getMessage());
            return null;
        }
    }

    private byte[] localState(boolean join) {
        List<NodeState> all = nodes.allNodes();
        List<PushNodeState> pushed = new ArrayList<>(all.size());
        for (NodeState n : all) {
            pushed.add(new PushNodeState(n.name, n.addr.getAddress(), n.port, n.meta, n.incarnation,
                    n.state.wire(), n.vsn));
        }
        return new PushPull(join, pushed, delegate.localState(join)).encode();
    }

    /**
     * Merges a remote state unless its nodes' versions rule out a range every node understands;
     * returns whether it merged. memberlist net.go:mergeRemoteState checks before touching
     * anything, so a state from an incompatible cluster changes nothing here.
     */
    private boolean mergeIfCompatible(StreamMessage.State remote, InetSocketAddress from, Runnable merged) {
        String why = incompatibility(remote.nodes().nodes());
        if (why != null) {
            stats.drop(DropReason.INCOMPATIBLE_VERSION);
            log.warn("Push/pull with {} not merged: {}", from, why);
            return false;
        }
        mergeFrom(remote, 0, merged);
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
        for (NodeState n : nodes.allNodes()) {
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
        for (NodeState n : nodes.allNodes()) {
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

    /**
     * Merges the nodes from index {@code from} on, {@link #MERGE_SLICE} per turn of the protocol
     * thread, then the layer above's state, then runs {@code merged}. memberlist merges a whole
     * state at once (net.go:mergeRemoteState) on a goroutine of its own; on our single thread, a
     * push/pull of thousands of new nodes would hold up every ping for as long as it takes.
     */
    private void mergeFrom(StreamMessage.State remote, int from, Runnable merged) {
        List<PushNodeState> nodes = remote.nodes().nodes();
        int to = Math.min(nodes.size(), from + MERGE_SLICE);
        for (int i = from; i < to; i++) {
            merge(nodes.get(i));
        }
        if (to < nodes.size()) {
            scheduler.execute(() -> {
                if (!shutdown.getAsBoolean()) {
                    mergeFrom(remote, to, merged);
                }
            });
            return;
        }
        remote.user().merge(remote.nodes().join());
        merged.run();
    }

    /** Remote alive → alive; left → dead from itself; dead or suspect → only a suspicion (§5.1). */
    private void merge(PushNodeState r) {
        if (r.state() == State.ALIVE.wire()) {
            states.aliveNode(new Alive(r.incarnation(), r.name(), r.addr(), r.port(), r.meta(), r.vsn()), false);
            peerKnows.alive(r.name(), r.incarnation());
        } else if (r.state() == State.LEFT.wire()) {
            states.deadNode(Accusation.dead(r.incarnation(), r.name(), r.name()), null);
        } else {
            if (r.state() == State.DEAD.wire() && r.name().equals(localName)) {
                states.ourNameDeadAt(r.addr(), r.port());
            } else if (r.name().equals(localName)) {
                states.ourNameSuspectAt(r.addr(), r.port(), r.incarnation());
            }
            states.suspectNode(Accusation.suspect(r.incarnation(), r.name(), localName));
        }
    }

    /**
     * An inbound stream: push/pull, TCP ping or user message. Called on the transport's thread:
     * it decodes there and hands the parsed message to the protocol thread.
     */
    void onStream(byte[] frame, InetSocketAddress from, Transport.StreamReply reply) {
        stats.streamReceived(frame.length);
        StreamMessage msg;
        try {
            msg = streams.parse(frame);
        } catch (MalformedMessageException e) {
            stats.drop(e.reason());
            log.warn("Rejected a stream from {}: {}", from, e.getMessage());
            send(reply, new ErrResp(e.getMessage()).encode());
            return;
        } catch (RuntimeException e) {
            stats.drop(DropReason.INTERNAL);
            log.warn("Failed to decode a stream from {}", from, e);
            reply.close();
            return;
        }
        scheduler.execute(() -> handle(msg, from, reply));
    }

    private void handle(StreamMessage msg, InetSocketAddress from, Transport.StreamReply reply) {
        if (shutdown.getAsBoolean()) {
            reply.close();
            return;
        }
        try {
            if (msg instanceof StreamMessage.State remote) {
                stats.message("push-pull");
                // net.go:handleConn answers with our state first; a merge it then refuses
                // is only logged, the stream is already answered.
                send(reply, localState(remote.nodes().join()));
                mergeIfCompatible(remote, from, () -> { });
            } else if (msg instanceof StreamMessage.TcpPing p) {
                stats.message("tcp-ping");
                if (!p.ping().node().isEmpty() && !p.ping().node().equals(localName)) {
                    stats.drop(DropReason.PING_WRONG_NODE);
                    reply.close();
                    return;
                }
                send(reply, new Ack(p.ping().seqNo(), null).encode());
            } else if (msg instanceof StreamMessage.User user) {
                stats.message("user-stream");
                reply.close();
                delegate.notifyMsg(user.payload(), from);
            } else {
                // memberlist net.go:handleConn serves nothing else (an ack or errResp is a reply).
                stats.drop(DropReason.UNKNOWN_TYPE);
                log.warn("Rejected a stream from {}: unexpected {}", from, msg.getClass().getSimpleName());
                send(reply, new ErrResp("unexpected stream message").encode());
            }
        } catch (RuntimeException e) {
            stats.drop(DropReason.INTERNAL);
            log.warn("Failed to handle a stream from {}", from, e);
            reply.close();
        }
    }

    private void send(Transport.StreamReply reply, byte[] plain) {
        byte[] out = streams.encode(plain);
        stats.streamSent(out.length);
        reply.reply(out);
    }
}
