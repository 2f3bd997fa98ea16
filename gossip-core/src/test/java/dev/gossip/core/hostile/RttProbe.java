package dev.gossip.core.hostile;

import dev.gossip.core.GossipNode;
import dev.gossip.core.Timings;
import dev.gossip.core.security.Encryption;
import dev.gossip.core.security.Keyring;
import dev.gossip.core.wire.Ack;
import dev.gossip.core.wire.MalformedMessageException;
import dev.gossip.core.wire.MessageType;
import dev.gossip.core.wire.Packets;
import dev.gossip.core.wire.Ping;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Probes a node from outside, as a peer's failure detector would: a real memberlist ping (encrypted
 * when the cluster is) every {@value #INTERVAL_MILLIS} ms from a socket of its own on 127.0.0.1,
 * timing each ack. A ping not acked within {@value #GRACE_MILLIS} ms of the last one sent is lost.
 *
 * <p>The node piggybacks its gossip on every ack, as memberlist does, and each message it gossips
 * is sent only a few times: probed 50 times a second, it would spend its broadcasts on the probe
 * and its peers would miss them. So the probe passes whatever came with an ack on to one of the
 * node's peers, in turn, as the gossip target it stands in for would have.
 */
final class RttProbe implements AutoCloseable {

    static final long INTERVAL_MILLIS = 20;
    static final long GRACE_MILLIS = 1_000;
    /** memberlist's LAN ProbeTimeout: a peer's direct probe fails when its ack takes longer. */
    static final double PROBE_TIMEOUT_MILLIS = Timings.lan().probeTimeout().toMillis();
    private static final String PROBE_NAME = "hostile-rtt-probe";

    /** RTTs in ms; a lost ping counts as infinitely late, so a p99 may be {@code +Infinity}. */
    record Stats(int sent, int answered, double p50Millis, double p99Millis, double maxAnsweredMillis) {
        int lost() {
            return sent - answered;
        }
    }

    private final DatagramChannel channel;
    private final InetSocketAddress target;
    private final String targetName;
    private final Keyring ring;
    private final List<InetSocketAddress> relayTo;
    private int relayed;
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<Long, Long> rttNanos = new ConcurrentHashMap<>();
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean sending = true;

    private RttProbe(GossipNode target, List<GossipNode> peers) throws IOException {
        this.target = target.localAddress();
        this.relayTo = peers.stream().map(GossipNode::localAddress).toList();
        this.targetName = target.name();
        this.ring = target.keyring();
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(Attacker.loopback(1), 0));
        sender = new Thread(this::send, "hostile-probe-send");
        receiver = new Thread(this::receive, "hostile-probe-receive");
        sender.setDaemon(true);
        receiver.setDaemon(true);
    }

    /** Starts probing {@code target}; what its acks carry besides the ack goes on to {@code peers}. */
    static RttProbe start(GossipNode target, List<GossipNode> peers) throws IOException {
        RttProbe probe = new RttProbe(target, peers);
        probe.receiver.start();
        probe.sender.start();
        return probe;
    }

    private void send() {
        InetSocketAddress self;
        try {
            self = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            return;
        }
        long start = System.nanoTime();
        for (long seq = 1; sending; seq++) {
            Attacker.pace(start, seq - 1, 1000.0 / INTERVAL_MILLIS);
            byte[] ping = new Ping(seq, targetName, self.getAddress().getAddress(), self.getPort(), PROBE_NAME).encode();
            sentAt.put(seq, System.nanoTime());
            try {
                channel.send(ByteBuffer.wrap(ring == null ? ping : Encryption.encryptPacket(ring, ping)), target);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(65_536);
        while (channel.isOpen()) {
            buf.clear();
            try {
                channel.receive(buf);
            } catch (IOException e) {
                return; // closed
            }
            long now = System.nanoTime();
            byte[] packet = Arrays.copyOf(buf.array(), buf.position());
            List<byte[]> gossip = new ArrayList<>();
            for (byte[] msg : Datagrams.messages(packet, ring)) {
                if ((msg[0] & 0xff) != MessageType.ACK) {
                    gossip.add(msg);
                } else {
                    try {
                        long seq = Ack.decode(Datagrams.body(msg)).seqNo();
                        Long sent = sentAt.get(seq);
                        if (sent != null) {
                            rttNanos.putIfAbsent(seq, now - sent);
                        }
                    } catch (MalformedMessageException e) {
                        // not an ack we can read: the ping stays unanswered
                    }
                }
            }
            relay(gossip);
        }
    }

    private void relay(List<byte[]> gossip) {
        if (gossip.isEmpty() || relayTo.isEmpty()) {
            return;
        }
        byte[] packet = gossip.size() == 1 ? gossip.get(0) : Packets.compound(gossip);
        try {
            channel.send(ByteBuffer.wrap(ring == null ? packet : Encryption.encryptPacket(ring, packet)),
                    relayTo.get(relayed++ % relayTo.size()));
        } catch (IOException e) {
            // closed while relaying: the probe is stopping
        }
    }

    /** Stops probing, waits for late acks (at most the grace period) and summarises. */
    Stats stop() throws InterruptedException {
        sending = false;
        sender.join();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        while (rttNanos.size() < sentAt.size() && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        double[] ms = sentAt.keySet().stream()
                .mapToDouble(seq -> {
                    Long rtt = rttNanos.get(seq);
                    return rtt == null ? Double.POSITIVE_INFINITY : rtt / 1e6;
                })
                .sorted().toArray();
        double maxAnswered = rttNanos.values().stream().mapToDouble(n -> n / 1e6).max().orElse(0);
        return new Stats(ms.length, rttNanos.size(), percentile(ms, 0.50), percentile(ms, 0.99), maxAnswered);
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    @Override
    public void close() throws IOException, InterruptedException {
        sending = false;
        channel.close();
        sender.join(TimeUnit.SECONDS.toMillis(5));
        receiver.join(TimeUnit.SECONDS.toMillis(5));
    }
}
