package dev.gossip.core.sim;

import dev.gossip.core.transport.Transport;
import dev.gossip.core.transport.TransportException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One endpoint of a {@link SimulatedNetwork}. Every delivery and callback runs later in a
 * {@link VirtualTime} task, never inside the call that caused it.
 */
final class SimulatedTransport implements Transport {

    private enum State { CREATED, STARTED, SHUT_DOWN }

    /** Inbound streams that expect no reply have nothing to answer. */
    private static final StreamReply NO_REPLY_EXPECTED = new StreamReply() {
        @Override
        public void reply(byte[] message) {
        }

        @Override
        public void close() {
        }
    };

    private final SimulatedNetwork network;
    private final InetSocketAddress address;
    // Linked sets: shutdown walks them and schedules work, so their order must be deterministic.
    private final Set<StreamCall> outbound = new LinkedHashSet<>();
    private final Set<InboundStream> inbound = new LinkedHashSet<>();
    private State state = State.CREATED;
    private Receiver receiver;

    SimulatedTransport(SimulatedNetwork network, InetSocketAddress address) {
        this.network = network;
        this.address = address;
    }

    @Override
    public void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (state != State.CREATED) {
            String why = state == State.STARTED
                    ? "it is already started"
                    : "it was shut down; create a new one with SimulatedNetwork.transport";
            throw new TransportException(
                    "cannot start simulated transport at " + address + ": " + why, null);
        }
        this.receiver = receiver;
        state = State.STARTED;
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public void sendPacket(InetSocketAddress to, byte[] packet) {
        if (state == State.SHUT_DOWN) {
            return; // a timer racing the shutdown; UDP would fail silently too
        }
        requireStarted();
        Objects.requireNonNull(to, "to");
        byte[] copy = packet.clone();
        NetworkCounters counters = network.counters();
        counters.packetsSent++;
        counters.packetBytesSent += copy.length;
        if (network.blocked(address, to)) {
            counters.packetsDroppedPartition++;
            return;
        }
        if (network.drawLoss(address, to)) {
            counters.packetsDroppedLoss++;
            return;
        }
        InetSocketAddress from = address;
        network.wire().schedule(network.drawLatency(address, to), () -> {
            // Whoever listens at the address on arrival gets it, as with a restarted process.
            SimulatedTransport destination = network.listenerAt(to);
            if (destination == null) {
                counters.packetsDroppedNoListener++;
                return;
            }
            counters.packetsDelivered++;
            destination.receiver.onPacket(copy, from);
        });
    }

    @Override
    public void request(InetSocketAddress to, byte[] message, boolean expectReply,
                        long timeoutNanos, StreamCallback callback) {
        if (state == State.SHUT_DOWN) {
            return; // no callback fires after shutdown
        }
        requireStarted();
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(callback, "callback");
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0: " + timeoutNanos);
        }
        byte[] copy = message.clone();
        network.counters().streamsOpened++;
        network.counters().streamBytes += copy.length;
        StreamCall call = new StreamCall(this, to, callback, network.counters());
        outbound.add(call);
        call.armTimeout(network.wire().schedule(timeoutNanos, () -> call.fail(
                new SocketTimeoutException("stream to " + to + " timed out after "
                        + timeoutNanos / 1_000_000.0 + " ms"))));
        if (network.blocked(address, to) || network.blocked(to, address)) {
            return; // the handshake never completes; only the timeout will settle the call
        }
        network.wire().schedule(network.drawLatency(address, to),
                () -> connect(call, copy, expectReply));
    }

    @Override
    public void shutdown() {
        if (state == State.SHUT_DOWN) {
            return;
        }
        state = State.SHUT_DOWN;
        receiver = null;
        network.shutDown(this);
        for (StreamCall call : List.copyOf(outbound)) {
            call.abandon();
        }
        for (InboundStream stream : List.copyOf(inbound)) {
            stream.reset();
        }
    }

    @Override
    public String toString() {
        return "SimulatedTransport[" + address + ", " + state + "]";
    }

    /** Streams this endpoint has open, as caller or server. */
    int openStreams() {
        return outbound.size() + inbound.size();
    }

    boolean isListening() {
        return state == State.STARTED;
    }

    boolean isShutDown() {
        return state == State.SHUT_DOWN;
    }

    /**
     * Carries a server's answer back to {@code call}'s caller after one latency, unless a
     * partition has since cut that direction (then the caller times out).
     */
    void sendBack(StreamCall call, Runnable outcome) {
        InetSocketAddress callerAddress = call.caller.address;
        if (network.blocked(address, callerAddress)) {
            return;
        }
        network.wire().schedule(network.drawLatency(address, callerAddress), outcome);
    }

    void forget(StreamCall call) {
        outbound.remove(call);
    }

    void forget(InboundStream stream) {
        inbound.remove(stream);
    }

    private void connect(StreamCall call, byte[] message, boolean expectReply) {
        if (call.isDone()) {
            return; // timed out (or caller shut down) before the message arrived
        }
        SimulatedTransport server = network.listenerAt(call.to);
        if (server == null) {
            call.fail(new ConnectException("Connection refused: " + call.to));
            return;
        }
        if (expectReply) {
            InboundStream stream = new InboundStream(server, call);
            server.inbound.add(stream);
            server.receiver.onStream(message, address, stream);
        } else {
            // Settled in its own task so a throwing receiver cannot keep the caller waiting.
            network.wire().execute(() -> call.succeed(null));
            server.receiver.onStream(message, address, NO_REPLY_EXPECTED);
        }
    }

    private void requireStarted() {
        if (state != State.STARTED) {
            throw new IllegalStateException(
                    "simulated transport at " + address + " used before start()");
        }
    }
}
