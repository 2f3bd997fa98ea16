package dev.gossip.core.membership;

import dev.gossip.core.DropReason;
import dev.gossip.core.GossipStats;
import dev.gossip.core.Timings;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.transport.Transport;
import dev.gossip.core.wire.Accusation;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.Alive;
import dev.gossip.core.wire.IndirectPing;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.MsgReader;
import dev.gossip.core.wire.Nack;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet format both ways (§3.2). Out: piggyback broadcasts, compound, compress when
 * smaller, CRC for protocol-5 peers, encrypt. In: decrypt, then unwrap CRC / compress / compound
 * in any nesting and dispatch. Bad input becomes a counted drop, never an exception.
 */
final class PacketLayer {

    private static final Logger log = LoggerFactory.getLogger(PacketLayer.class);

    /** Type and count bytes of a compound message. */
    static final int COMPOUND_HEADER = 2;
    /** Length prefix per message inside a compound. */
    static final int COMPOUND_OVERHEAD = 2;
    /** How deep CRC / compress / compound may nest: real traffic uses 3. */
    private static final int MAX_NESTING = 4;
    /**
     * Most bytes one datagram may inflate to, over all its compress layers. A sender compresses a
     * message it built to fit one packet (memberlist net.go:rawSendMsgPacket compresses the whole
     * packet, once, and a packet is at most UDPBufferSize ≤ 65,507 bytes), so no honest datagram
     * inflates beyond 64 KiB. Without a bound a 54 KB datagram of LZW-compressed zeros inflates
     * to 64 MiB (LZW reaches ~1000:1), a cheap way to stall the node's thread; a looser bound only
     * makes each bomb cost more (the hostile suite's UDP bombs).
     */
    static final int MAX_PACKET_INFLATE = 64 * 1024;

    /** Where the probe messages go: the {@link Prober}. */
    interface Probes {
        void handlePing(Ping p, InetSocketAddress from);

        void handleIndirectPing(IndirectPing ind, InetSocketAddress from);

        void handleAck(Ack ack);

        void handleNack(Nack nack);
    }

    private final Timings timings;
    private final GossipStats stats;
    private final Transport transport;
    /** The current keys, or null (as the supplier itself) when encryption is off. */
    private final Supplier<Keyring> keyring;
    private final TransmitLimitedQueue broadcasts;
    private final MembershipDelegate delegate;
    private final Predicate<InetAddress> isMemberAddress;
    private final BooleanSupplier shutdown;
    private final NodeStateMachine states;
    private final Probes probes;
    /** What the datagram being handled may still inflate to; reset per datagram. */
    private int inflateBudget;

    /**
     * @param broadcasts      memberlist's own broadcasts, piggybacked before the delegate's
     * @param isMemberAddress whether an address is a member's: only members get piggybacks
     * @param shutdown        whether the node has shut down: it then sends and handles nothing
     */
    PacketLayer(Timings timings, GossipStats stats, Transport transport, Supplier<Keyring> keyring,
                TransmitLimitedQueue broadcasts, MembershipDelegate delegate,
                Predicate<InetAddress> isMemberAddress, BooleanSupplier shutdown,
                NodeStateMachine states, Probes probes) {
        this.timings = timings;
        this.stats = stats;
        this.transport = transport;
        this.keyring = keyring;
        this.broadcasts = broadcasts;
        this.delegate = delegate;
        this.isMemberAddress = isMemberAddress;
        this.shutdown = shutdown;
        this.states = states;
        this.probes = probes;
    }

    Keyring keyring() {
        return keyring == null ? null : keyring.get();
    }

    /** Largest plaintext that still fits a UDP buffer once encrypted. */
    int maxPayload() {
        return timings.udpBufferSize() - (keyring() != null ? Encryption.overhead() : 0);
    }

    /** memberlist's own broadcasts first, then the delegate's wrapped as user messages. */
    List<byte[]> broadcastsFor(int overhead, int limit) {
        List<byte[]> out = new ArrayList<>(broadcasts.getBroadcasts(overhead, limit));
        int used = 0;
        for (byte[] b : out) {
            used += b.length + overhead;
        }
        int avail = limit - used;
        if (avail > overhead + 1) {
            for (byte[] user : delegate.getBroadcasts(overhead + 1, avail)) {
                out.add(Memberlist.prefixUser(user));
            }
        }
        return out;
    }

    /**
     * Sends {@code msg} with whatever broadcasts fit piggybacked, if {@code to} is a member's
     * address. Each broadcast goes out a limited number of times, so a stranger who pings us in a
     * loop would otherwise collect every transmission of what we gossip (a conflict query, an
     * intent, an event) on its acks, and no member would hear it. memberlist piggybacks on every
     * ack (net.go:sendMsg); members still get every piggyback they got before.
     */
    void sendMsg(InetSocketAddress to, NodeState node, byte[] msg) {
        if (node == null && !isMemberAddress.test(to.getAddress())) {
            sendRaw(to, null, msg);
            return;
        }
        int avail = maxPayload() - msg.length - COMPOUND_HEADER;
        List<byte[]> extra = broadcastsFor(COMPOUND_OVERHEAD, avail);
        if (extra.isEmpty()) {
            sendRaw(to, node, msg);
            return;
        }
        List<byte[]> all = new ArrayList<>(1 + extra.size());
        all.add(msg);
        all.addAll(extra);
        // memberlist net.go:sendMsg builds one compound whatever the count, and its count byte
        // wraps above 255; split instead, as its gossip does (util.go:makeCompoundMessages).
        for (byte[] compound : Packets.compounds(all)) {
            sendRaw(to, node, compound);
        }
    }

    /** Compresses (if smaller), CRC-frames for protocol-5 nodes, encrypts and sends. */
    void sendRaw(InetSocketAddress to, NodeState node, byte[] msg) {
        if (shutdown.getAsBoolean()) {
            return;
        }
        if (timings.enableCompression()) {
            byte[] compressed = Packets.compress(msg);
            if (compressed.length < msg.length) {
                msg = compressed;
            }
        }
        if (node != null && node.protocolMax() >= 5) {
            msg = Packets.withCrc(msg);
        }
        Keyring ring = keyring();
        if (ring != null) {
            msg = Encryption.encryptPacket(ring, msg);
        }
        stats.packetSent(msg.length);
        transport.sendPacket(to, msg);
    }

    /** Entry point for every received datagram. */
    void ingest(byte[] packet, InetSocketAddress from) {
        stats.packetReceived(packet.length);
        if (shutdown.getAsBoolean()) {
            return;
        }
        try {
            Keyring ring = keyring();
            byte[] buf = ring == null ? packet : Encryption.decryptPacket(ring, packet);
            inflateBudget = MAX_PACKET_INFLATE;
            handle(buf, from, 0);
        } catch (MalformedMessageException e) {
            drop(e, from);
        } catch (RuntimeException e) {
            stats.drop(DropReason.INTERNAL);
            log.warn("Failed to handle a packet from {}", from, e);
        }
    }

    private void handle(byte[] buf, InetSocketAddress from, int depth) throws MalformedMessageException {
        if (buf.length == 0) {
            return;
        }
        if (depth > MAX_NESTING) {
            throw new MalformedMessageException(DropReason.NESTING, "messages nested too deep");
        }
        int type = buf[0] & 0xff;
        switch (type) {
            case MessageType.HAS_CRC -> handle(Packets.stripCrc(buf), from, depth + 1);
            case MessageType.COMPRESS -> {
                byte[] inner;
                try {
                    inner = Packets.decompress(buf, 1, buf.length - 1, inflateBudget);
                } catch (MalformedMessageException e) {
                    inflateBudget = 0; // broken or oversized: inflate nothing more from this datagram
                    throw e;
                }
                inflateBudget -= inner.length;
                handle(inner, from, depth + 1);
            }
            case MessageType.COMPOUND -> {
                for (byte[] part : Packets.splitCompound(buf, 1, buf.length - 1)) {
                    try {
                        handle(part, from, depth + 1);
                    } catch (MalformedMessageException e) {
                        drop(e, from);
                    }
                }
            }
            case MessageType.PING -> {
                stats.message("ping");
                probes.handlePing(Ping.decode(reader(buf)), from);
            }
            case MessageType.INDIRECT_PING -> {
                stats.message("indirect-ping");
                probes.handleIndirectPing(IndirectPing.decode(reader(buf)), from);
            }
            case MessageType.ACK -> {
                stats.message("ack");
                probes.handleAck(Ack.decode(reader(buf)));
            }
            case MessageType.NACK -> {
                stats.message("nack");
                probes.handleNack(Nack.decode(reader(buf)));
            }
            case MessageType.ALIVE -> {
                stats.message("alive");
                states.aliveNode(Alive.decode(reader(buf)), false);
            }
            case MessageType.SUSPECT -> {
                stats.message("suspect");
                states.suspectNode(Accusation.decode(type, reader(buf)), from);
            }
            case MessageType.DEAD -> {
                stats.message("dead");
                states.deadNode(Accusation.decode(type, reader(buf)), null);
            }
            case MessageType.USER -> {
                stats.message("user");
                delegate.notifyMsg(Arrays.copyOfRange(buf, 1, buf.length), from);
            }
            default -> throw new MalformedMessageException(DropReason.UNKNOWN_TYPE, "message type " + type);
        }
    }

    private static MsgReader reader(byte[] buf) {
        return new MsgReader(buf, 1, buf.length - 1);
    }

    private void drop(MalformedMessageException e, InetSocketAddress from) {
        stats.drop(e.reason());
        log.debug("Dropped a packet from {}: {}", from, e.getMessage());
    }
}
