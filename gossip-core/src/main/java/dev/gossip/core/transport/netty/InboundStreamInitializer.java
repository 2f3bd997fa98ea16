package dev.gossip.core.transport.netty;

import dev.gossip.core.transport.StreamFramer;
import dev.gossip.core.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits an accepted connection only if it gets one of the {@link StreamSlots}, so a flood of
 * connections can neither exhaust memory (each may buffer up to the stream size limit) nor, from a
 * few hosts, lock out the members; the rest are closed at once, before reading a byte, and counted.
 * memberlist has no such limit ({@code net.go:streamListen} starts a goroutine per connection).
 */
final class InboundStreamInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(InboundStreamInitializer.class);

    private final StreamSlots slots;
    private final Predicate<InetAddress> memberAddress;
    private final StreamFramer framer;
    private final int maxStreamBytes;
    private final long timeoutNanos;
    private final Transport.Receiver receiver;
    private final TransportCounters counters;
    private final Consumer<Channel> tracker;

    InboundStreamInitializer(StreamSlots slots, Predicate<InetAddress> memberAddress,
                             StreamFramer framer, int maxStreamBytes, long timeoutNanos,
                             Transport.Receiver receiver, TransportCounters counters,
                             Consumer<Channel> tracker) {
        this.slots = slots;
        this.memberAddress = memberAddress;
        this.framer = framer;
        this.maxStreamBytes = maxStreamBytes;
        this.timeoutNanos = timeoutNanos;
        this.receiver = receiver;
        this.counters = counters;
        this.tracker = tracker;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        InetAddress source = channel.remoteAddress().getAddress();
        boolean member = memberAddress.test(source);
        TransportDrop refused = slots.acquire(source, member);
        if (refused != null) {
            counters.drop(refused);
            log.debug("Refusing stream from {} ({}): {}", channel.remoteAddress(),
                    member ? "member" : "not a member", refused);
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> slots.release(source, member));
        counters.streamIn();
        tracker.accept(channel);
        channel.pipeline().addLast(new TrickleThrottle(counters), new InboundStreamHandler(
                new FrameBuffer(framer, maxStreamBytes), timeoutNanos, receiver, counters));
    }

    /** Streams currently open. */
    int openStreams() {
        return slots.open();
    }
}
