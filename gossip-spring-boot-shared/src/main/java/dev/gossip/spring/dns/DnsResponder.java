package dev.gossip.spring.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server: one UDP socket read by one daemon thread, each query answered before the next
 * is read (an answer is a few map reads). No TCP: a truncated answer tells the client so (TC).
 */
public final class DnsResponder implements AutoCloseable {

    /** Every {@code reason} of gossip.dns.dropped. */
    static final List<String> DROP_REASONS = List.of("short", "response", "send-failed");

    private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);

    private final DatagramSocket socket;
    private final DnsAnswerer answerer;
    private final Thread thread;
    private final Map<Dns.Rcode, AtomicLong> responses = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

    private DnsResponder(DatagramSocket socket, DnsAnswerer answerer) {
        this.socket = socket;
        this.answerer = answerer;
        for (Dns.Rcode r : Dns.Rcode.values()) {
            responses.put(r, new AtomicLong());
        }
        DROP_REASONS.forEach(r -> dropped.put(r, new AtomicLong()));
        this.thread = new Thread(this::serve, "gossip-dns");
        thread.setDaemon(true);
    }

    /** Binds {@code address} and starts answering. */
    static DnsResponder start(InetSocketAddress address, DnsAnswerer answerer) throws SocketException {
        DnsResponder r = new DnsResponder(new DatagramSocket(address), answerer);
        r.thread.start();
        return r;
    }

    /** Where it listens (the real port when bound to port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Responses sent with {@code rcode} (e.g. NXDOMAIN). */
    public long responses(String rcode) {
        return responses.get(Dns.Rcode.valueOf(rcode)).get();
    }

    /** Datagrams left unanswered for {@code reason} (one of {@link #DROP_REASONS}). */
    public long dropped(String reason) {
        return dropped.get(reason).get();
    }

    private void serve() {
        byte[] in = new byte[65_535]; // what a client sends is not limited by what it may receive
        DatagramPacket packet = new DatagramPacket(in, in.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(in.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("DNS receive failed on {}: {}", address(), e.toString());
                }
                continue;
            }
            byte[] out = respond(in, packet.getLength());
            if (out != null) {
                try {
                    socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    dropped.get("send-failed").incrementAndGet();
                }
            }
        }
    }

    /** The response to one datagram, or null when it gets none; counted either way. */
    byte[] respond(byte[] in, int length) {
        DnsQuery q;
        try {
            q = DnsQuery.decode(in, length);
        } catch (DnsDropException e) {
            dropped.get(e.reason()).incrementAndGet();
            return null;
        }
        DnsAnswerer.Answer a;
        if (q.error() != null) {
            a = DnsAnswerer.Answer.of(q.error());
        } else {
            try {
                a = answerer.answer(q);
            } catch (RuntimeException e) { // a bug of ours must not end the thread: SERVFAIL, and say why
                log.warn("DNS answer to {} failed", q.name(), e);
                a = DnsAnswerer.Answer.of(Dns.Rcode.SERVFAIL);
            }
        }
        responses.get(a.rcode()).incrementAndGet();
        return DnsResponse.write(q, a.rcode(), a.answers(), a.additional());
    }

    /** Closes the socket and waits briefly for the thread to end. */
    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isRunning() {
        return thread.isAlive();
    }
}
