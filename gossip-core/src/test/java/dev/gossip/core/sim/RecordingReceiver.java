package dev.gossip.core.sim;

import dev.gossip.core.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** Test receiver: remembers packets with their arrival time and answers streams as told. */
final class RecordingReceiver implements Transport.Receiver {

    record Arrival(long at, InetSocketAddress from, byte[] bytes) {
        String text() {
            return new String(bytes);
        }
    }

    private final VirtualTime time;
    final List<Arrival> packets = new ArrayList<>();
    final List<Arrival> streams = new ArrayList<>();
    private BiConsumer<byte[], Transport.StreamReply> streamHandler = (message, reply) -> { };

    RecordingReceiver(VirtualTime time) {
        this.time = time;
    }

    RecordingReceiver onStream(BiConsumer<byte[], Transport.StreamReply> handler) {
        this.streamHandler = handler;
        return this;
    }

    @Override
    public void onPacket(byte[] packet, InetSocketAddress from) {
        packets.add(new Arrival(time.now(), from, packet));
    }

    @Override
    public void onStream(byte[] message, InetSocketAddress from, Transport.StreamReply reply) {
        streams.add(new Arrival(time.now(), from, message));
        streamHandler.accept(message, reply);
    }

    List<String> packetTexts() {
        return packets.stream().map(Arrival::text).toList();
    }
}
