package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Test receiver: records what arrives and answers streams as told. */
final class RecordingReceiver implements Transport.Receiver {

    record Packet(byte[] bytes, InetSocketAddress from) { }

    record Stream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) { }

    final List<Packet> packets = new CopyOnWriteArrayList<>();
    final List<Stream> streams = new CopyOnWriteArrayList<>();
    /** Answer for a stream message; {@code null} means: hold the stream open, answer later. */
    private final Function<byte[], byte[]> answer;

    private RecordingReceiver(Function<byte[], byte[]> answer) {
        this.answer = answer;
    }

    /** Answers every stream with what {@code answer} returns. */
    static RecordingReceiver answering(Function<byte[], byte[]> answer) {
        return new RecordingReceiver(answer);
    }

    /** Never answers; the test answers through {@link #streams}. */
    static RecordingReceiver holding() {
        return new RecordingReceiver(message -> null);
    }

    @Override
    public void onPacket(byte[] packet, InetSocketAddress from) {
        packets.add(new Packet(packet, from));
    }

    @Override
    public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
        streams.add(new Stream(message, from, reply));
        byte[] response = answer.apply(message);
        if (response != null) {
            reply.reply(response);
        }
    }
}
